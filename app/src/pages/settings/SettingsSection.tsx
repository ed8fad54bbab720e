import { lazy } from 'react';
import { useParams } from 'react-router';
import Placeholder from '../Placeholder';

/** The settings sections by their path under settings/ (settings/{section}[/{itemId}]). */
export const SETTINGS_SECTIONS = {
  locales: { label: 'Locales', page: lazy(() => import('./Locales')) },
  tags: { label: 'Tags', page: lazy(() => import('./Tags')) },
  'api-keys': { label: 'API keys', page: lazy(() => import('./ApiKeys')) },
  webhooks: { label: 'Webhooks', page: lazy(() => import('./Webhooks')) },
  roles: { label: 'Roles and permissions', page: lazy(() => import('./Roles')) },
  users: { label: 'Users', page: lazy(() => import('./Users')) },
  teams: { label: 'Teams', page: lazy(() => import('./Teams')) },
} as const;

export default function SettingsSection() {
  const { section = '' } = useParams();
  const entry = SETTINGS_SECTIONS[section as keyof typeof SETTINGS_SECTIONS];
  if (!entry) return <Placeholder title="Page not found" notFound />;
  const Page = entry.page;
  return <Page />;
}
