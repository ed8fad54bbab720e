import Placeholder from '../Placeholder';

export default function Releases() {
  return <Placeholder title="Releases" />;
}
