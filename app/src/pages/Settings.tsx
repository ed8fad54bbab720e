import { List, ListItem, Paragraph } from '@contentful/f36-components';
import { Link } from 'react-router';
import { type SpaceAccess, useAccess } from '../access';
import { usePageTitle } from './common';
import { SETTINGS_SECTIONS } from './settings/SettingsSection';
import { Page } from './shared/Page';

type SectionPath = keyof typeof SETTINGS_SECTIONS | 'environments';

const DESCRIPTIONS: Record<SectionPath, string> = {
  environments: 'Copies of the content and the content model, and their aliases.',
  locales: 'The languages content is written in, their fallbacks and where they are served.',
  tags: 'Labels that group entries and assets.',
  'api-keys': 'Tokens for the Content Delivery and Content Preview APIs.',
  webhooks: 'Calls to other services when content changes, with their logs.',
  roles: 'What the members of the space may do.',
  users: 'Who is a member of the space, and with which roles.',
  teams: 'Teams of the organization with access to the space.',
};

/**
 * Sections a role may not even read (the CMA refuses to list them) are left out; the others open
 * read-only for who may not manage them.
 */
const VISIBLE: Partial<Record<SectionPath, (access: SpaceAccess) => boolean>> = {
  'api-keys': (access) => access.may('ContentDelivery', 'read'),
  webhooks: (access) => access.may('Settings', 'manage'),
};

const SECTIONS: { path: SectionPath; label: string }[] = [
  { path: 'environments', label: 'Environments' },
  ...Object.entries(SETTINGS_SECTIONS).map(([path, section]) => ({ path: path as SectionPath, label: section.label })),
];

/** The settings of a space: every section the signed-in user may use. */
export default function Settings() {
  usePageTitle('Settings');
  const access = useAccess();
  const shown = SECTIONS.filter((s) => access.admin || (VISIBLE[s.path]?.(access) ?? true));
  return (
    <Page title="Settings">
      <nav aria-label="Settings sections">
        <List>
          {shown.map((section) => (
            <ListItem key={section.path}>
              <Link to={section.path}>{section.label}</Link>
              <Paragraph marginBottom="spacingS">{DESCRIPTIONS[section.path]}</Paragraph>
            </ListItem>
          ))}
        </List>
      </nav>
    </Page>
  );
}
