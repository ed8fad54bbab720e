import { Heading, List, ListItem, Paragraph } from '@contentful/f36-components';
import { Link } from 'react-router';
import { usePageTitle } from './common';

const LATER = ['Locales', 'Tags', 'API keys', 'Webhooks', 'Roles and permissions', 'Users', 'Teams'];

export default function Settings() {
  usePageTitle('Settings');
  return (
    <section aria-labelledby="settings-title">
      <Heading as="h1" id="settings-title">
        Settings
      </Heading>
      <List>
        <ListItem>
          <Link to="environments">Environments</Link>
        </ListItem>
      </List>
      <Paragraph>Not in the web app yet: {LATER.join(', ')}.</Paragraph>
    </section>
  );
}
