import Placeholder from '../Placeholder';

export default function EntryList() {
  return <Placeholder title="EntryList" />;
}
