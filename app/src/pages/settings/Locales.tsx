import Placeholder from '../Placeholder';

export default function Locales() {
  return <Placeholder title="Locales" />;
}
