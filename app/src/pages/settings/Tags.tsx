import Placeholder from '../Placeholder';

export default function Tags() {
  return <Placeholder title="Tags" />;
}
