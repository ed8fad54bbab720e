import Placeholder from '../Placeholder';

export default function Scheduled() {
  return <Placeholder title="Scheduled" />;
}
