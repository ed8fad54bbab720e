/** What the CMA takes as an id given by the client (an environment, a tag, a content type), as an input's pattern. */
export const ID_PATTERN = '[a-zA-Z0-9\\-_.]{1,64}';

/** An id from a name, as Contentful's web app suggests one (for tags, content types): camelCase letters and digits. */
export function suggestId(name: string) {
  const words = name
    .normalize('NFKD')
    .replace(/[^a-zA-Z0-9 ]/g, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  return words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('');
}
