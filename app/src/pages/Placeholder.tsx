import { Heading, Note, Paragraph } from '@contentful/f36-components';
import { Link } from 'react-router';
import { usePageTitle } from './common';

/** A section the app does not have yet (issue 26 lists them): the navigation already leads here. */
export default function Placeholder({ title, notFound = false }: { title: string; notFound?: boolean }) {
  usePageTitle(title);
  if (notFound) {
    return (
      <main id="main" className="app-page">
        <Heading as="h1">{title}</Heading>
        <Paragraph>
          There is nothing at this address. <Link to="/">Go to your spaces</Link>.
        </Paragraph>
      </main>
    );
  }
  return (
    <section aria-labelledby="section-title">
      <Heading as="h1" id="section-title">
        {title}
      </Heading>
      <Note variant="neutral">This part of the web app is not built yet; the API behind it is available through the CMA.</Note>
    </section>
  );
}
