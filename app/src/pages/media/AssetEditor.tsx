import Placeholder from '../Placeholder';

export default function AssetEditor() {
  return <Placeholder title="AssetEditor" />;
}
