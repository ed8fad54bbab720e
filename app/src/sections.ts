/** The sections of a space environment. Tasks and comments live in the entry editor's sidebar, as in Contentful. */
export const SECTIONS = [
  { path: 'content-model', label: 'Content model' },
  { path: 'content', label: 'Content' },
  { path: 'media', label: 'Media' },
  { path: 'releases', label: 'Releases' },
  { path: 'scheduled', label: 'Scheduled' },
  { path: 'settings', label: 'Settings' },
] as const;
