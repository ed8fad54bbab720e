import { Flex, Spinner } from '@contentful/f36-components';
import { lazy, type ReactNode, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation, useParams } from 'react-router';
import { useSession } from './session';

// Every page is a chunk of its own, loaded when first shown.
const SignIn = lazy(() => import('./pages/SignIn'));
const Spaces = lazy(() => import('./pages/Spaces'));
const Shell = lazy(() => import('./pages/Shell'));
const Environments = lazy(() => import('./pages/Environments'));
const Settings = lazy(() => import('./pages/Settings'));
const ContentModel = lazy(() => import('./pages/ContentModel'));
const ContentTypeEditor = lazy(() => import('./pages/ContentTypeEditor'));
const EntryList = lazy(() => import('./pages/content/EntryList'));
const EntryEditor = lazy(() => import('./pages/entry/EntryEditor'));
const MediaLibrary = lazy(() => import('./pages/media/MediaLibrary'));
const AssetEditor = lazy(() => import('./pages/media/AssetEditor'));
const Releases = lazy(() => import('./pages/releases/Releases'));
const ReleaseDetail = lazy(() => import('./pages/releases/ReleaseDetail'));
const Scheduled = lazy(() => import('./pages/scheduled/Scheduled'));
const SettingsSection = lazy(() => import('./pages/settings/SettingsSection'));
const Placeholder = lazy(() => import('./pages/Placeholder'));

function Loading() {
  return (
    <Flex justifyContent="center" padding="spacingL">
      <Spinner size="large" />
    </Flex>
  );
}

function RequireSession({ children }: { children: ReactNode }) {
  const { session } = useSession();
  const location = useLocation();
  if (!session) return <Navigate to="/sign-in" replace state={{ from: `${location.pathname}${location.search}` }} />;
  return children;
}

function SpaceHome() {
  const { spaceId } = useParams();
  return <Navigate to={`/spaces/${spaceId}/environments/master/content`} replace />;
}

export function AppRoutes() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route path="/sign-in" element={<SignIn />} />
        <Route
          path="/"
          element={
            <RequireSession>
              <Spaces />
            </RequireSession>
          }
        />
        <Route path="/spaces/:spaceId" element={<SpaceHome />} />
        <Route
          path="/spaces/:spaceId/environments/:environmentId"
          element={
            <RequireSession>
              <Shell />
            </RequireSession>
          }
        >
          <Route index element={<Navigate to="content" replace />} />
          <Route path="settings" element={<Settings />} />
          <Route path="settings/environments" element={<Environments />} />
          <Route path="settings/:section" element={<SettingsSection />} />
          <Route path="settings/:section/:itemId" element={<SettingsSection />} />
          <Route path="content" element={<EntryList />} />
          <Route path="content/:entryId" element={<EntryEditor />} />
          <Route path="media" element={<MediaLibrary />} />
          <Route path="media/:assetId" element={<AssetEditor />} />
          <Route path="releases" element={<Releases />} />
          <Route path="releases/:releaseId" element={<ReleaseDetail />} />
          <Route path="scheduled" element={<Scheduled />} />
          <Route path="content-model" element={<ContentModel />} />
          <Route path="content-model/:contentTypeId" element={<ContentTypeEditor />} />
        </Route>
        <Route path="*" element={<Placeholder title="Page not found" notFound />} />
      </Routes>
    </Suspense>
  );
}
