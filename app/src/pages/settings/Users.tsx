import Placeholder from '../Placeholder';

export default function Users() {
  return <Placeholder title="Users" />;
}
