import Placeholder from '../Placeholder';

export default function MediaLibrary() {
  return <Placeholder title="MediaLibrary" />;
}
