import { Button, Flex, Heading, Paragraph, Table } from '@contentful/f36-components';
import { type ComponentProps, type ReactNode, useId } from 'react';
import { Link, useNavigate } from 'react-router';

export function BackLink({ label }: { label: string }) {
  return (
    <Paragraph>
      <Link to=".." relative="path">
        ← {label}
      </Link>
    </Paragraph>
  );
}

/** A page (a section named by its h1): a link back to its list, the title with the page's actions beside it, then the page. */
export function Page({
  title,
  back,
  actions,
  children,
  ...section
}: Omit<ComponentProps<'section'>, 'title'> & { title: ReactNode; back?: string; actions?: ReactNode }) {
  const uid = useId();
  return (
    <section aria-labelledby={`${uid}-title`} {...section}>
      {back ? <BackLink label={back} /> : null}
      <Flex justifyContent="space-between" alignItems="center" gap="spacingS" flexWrap="wrap" marginBottom="spacingM">
        <Heading as="h1" id={`${uid}-title`} marginBottom="none">
          {title}
        </Heading>
        {actions}
      </Flex>
      {children}
    </section>
  );
}

/** A part of a page, named by its h2. */
export function Section({ title, children, ...section }: Omit<ComponentProps<'section'>, 'title'> & { title: string }) {
  const uid = useId();
  return (
    <section aria-labelledby={`${uid}-title`} {...section}>
      <Heading as="h2" id={`${uid}-title`} marginTop="spacingXl">
        {title}
      </Heading>
      {children}
    </section>
  );
}

/** A list page's button that opens the editor of a new item (at `new`). */
export function NewButton({ children }: { children: string }) {
  const navigate = useNavigate();
  return (
    <Button variant="primary" onClick={() => navigate('new')}>
      {children}
    </Button>
  );
}

/** A list as a table that scrolls sideways on a narrow screen, with what to say when it is empty. */
export function ListTable({
  label,
  columns,
  empty,
  children,
}: {
  label: string;
  columns: string[];
  /** Said under the table (when the list is empty). */
  empty?: string;
  children: ReactNode;
}) {
  return (
    <>
      <div className="table-scroll">
        <Table aria-label={label}>
          <Table.Head>
            <Table.Row>
              {columns.map((column) => (
                <Table.Cell key={column}>{column}</Table.Cell>
              ))}
            </Table.Row>
          </Table.Head>
          <Table.Body>{children}</Table.Body>
        </Table>
      </div>
      {empty ? <Paragraph marginTop="spacingS">{empty}</Paragraph> : null}
    </>
  );
}
