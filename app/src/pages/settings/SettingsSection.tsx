import Placeholder from '../Placeholder';

export default function SettingsSection() {
  return <Placeholder title="SettingsSection" />;
}
