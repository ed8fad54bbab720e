import Placeholder from '../Placeholder';

export default function EntryEditor() {
  return <Placeholder title="EntryEditor" />;
}
