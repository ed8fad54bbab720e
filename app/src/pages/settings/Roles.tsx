import Placeholder from '../Placeholder';

export default function Roles() {
  return <Placeholder title="Roles" />;
}
