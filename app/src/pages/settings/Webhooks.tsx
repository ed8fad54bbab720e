import Placeholder from '../Placeholder';

export default function Webhooks() {
  return <Placeholder title="Webhooks" />;
}
