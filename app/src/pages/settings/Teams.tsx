import Placeholder from '../Placeholder';

export default function Teams() {
  return <Placeholder title="Teams" />;
}
