/** The sections of a space environment; those not built yet are placeholders, so the navigation is final. */
export const SECTIONS = [
  { path: 'content-model', label: 'Content model' },
  { path: 'content', label: 'Content' },
  { path: 'media', label: 'Media' },
  { path: 'releases', label: 'Releases' },
  { path: 'scheduled', label: 'Scheduled' },
  { path: 'tasks', label: 'Tasks' },
  { path: 'settings', label: 'Settings' },
] as const;
