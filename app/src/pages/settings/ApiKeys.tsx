import Placeholder from '../Placeholder';

export default function ApiKeys() {
  return <Placeholder title="ApiKeys" />;
}
