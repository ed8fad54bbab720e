/** "Add to release" for an entry or asset, shown in the entry editor's sidebar. */
export function AddToRelease(_props: { entity: { type: 'Entry' | 'Asset'; id: string } }) {
  return null;
}
