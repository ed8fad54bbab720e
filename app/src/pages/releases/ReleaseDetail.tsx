import Placeholder from '../Placeholder';

export default function ReleaseDetail() {
  return <Placeholder title="ReleaseDetail" />;
}
