import { Flex, type MarginProps, Paragraph } from '@contentful/f36-components';
import type { ReactNode } from 'react';

/** An editor's buttons, then whether there are unsaved changes and what the last action did (announced as a status). */
export function ActionBar({ dirty, done, children, ...margins }: MarginProps & { dirty?: boolean; done?: string; children: ReactNode }) {
  return (
    <Flex gap="spacingS" alignItems="center" flexWrap="wrap" {...margins}>
      {children}
      {dirty ? <Paragraph marginBottom="none">Unsaved changes</Paragraph> : null}
      {done ? (
        <Paragraph marginBottom="none" role="status">
          {done}
        </Paragraph>
      ) : null}
    </Flex>
  );
}
