import { NavList, Select } from '@contentful/f36-components';
import { createContext, useContext } from 'react';
import { Link, Outlet, useLocation, useNavigate, useParams } from 'react-router';
import { AccessProvider } from '../access';
import type { Collection, Environment } from '../api/cma';
import { type QueryState, useQuery } from '../api/use-query';
import { SECTIONS } from '../sections';
import { useCma } from '../session';
import { ErrorNote } from './common';
import { TopBar } from './TopBar';

/** The space's environments, shared by the switcher and the environment settings (which reload them after a change). */
const EnvironmentsContext = createContext<QueryState<Collection<Environment>> | undefined>(undefined);
export function useEnvironments() {
  const value = useContext(EnvironmentsContext);
  if (!value) throw new Error('useEnvironments outside the shell');
  return value;
}

/** An environment's name in the switcher: its id, with the aliases that point at it. */
function environmentLabel(environment: Environment) {
  const aliases = (environment.sys.aliases ?? []).map((a) => a.sys.id).filter((id) => id !== environment.sys.id);
  const status = environment.sys.status?.sys.id;
  return `${environment.sys.id}${aliases.length ? ` (alias: ${aliases.join(', ')})` : ''}${status && status !== 'ready' ? ` — ${status}` : ''}`;
}

/** The frame of a space environment: the switchers, the sections' navigation and the section. */
export default function Shell() {
  const { spaceId = '', environmentId = '' } = useParams();
  const cma = useCma();
  const navigate = useNavigate();
  const location = useLocation();
  const spaces = useQuery(() => cma.spaces(), [cma]);
  const environments = useQuery(() => cma.environments(spaceId), [cma, spaceId]);
  const base = `/spaces/${spaceId}/environments/${environmentId}`;
  const section = location.pathname.slice(base.length + 1) || 'content';

  const envs = environments.data?.items ?? [];
  // An alias is addressed by its own id; show it as a choice of its own, besides the environment it targets.
  // (An environment may list itself as an alias, as master does once a space has aliases: not a choice of its own.)
  const aliasIds = envs.flatMap((e) =>
    (e.sys.aliases ?? []).filter((a) => a.sys.id !== e.sys.id).map((a) => ({ alias: a.sys.id, target: e.sys.id })),
  );
  const known = envs.some((e) => e.sys.id === environmentId) || aliasIds.some((a) => a.alias === environmentId);

  return (
    <EnvironmentsContext.Provider value={environments}>
      <TopBar>
        <div className="app-switcher">
          <label htmlFor="space-switcher">Space</label>
          <Select
            id="space-switcher"
            size="small"
            value={spaceId}
            onChange={(e) => navigate(`/spaces/${e.target.value}/environments/master/${section.split('/')[0]}`)}
          >
            {!spaces.data?.items.some((s) => s.sys.id === spaceId) && <Select.Option value={spaceId}>{spaceId}</Select.Option>}
            {spaces.data?.items.map((s) => (
              <Select.Option key={s.sys.id} value={s.sys.id}>
                {s.name}
              </Select.Option>
            ))}
          </Select>
        </div>
        <div className="app-switcher">
          <label htmlFor="environment-switcher">Environment</label>
          <Select
            id="environment-switcher"
            size="small"
            value={environmentId}
            onChange={(e) => navigate(`/spaces/${spaceId}/environments/${e.target.value}/${section}`)}
          >
            {!known && <Select.Option value={environmentId}>{environmentId}</Select.Option>}
            {aliasIds.map(({ alias, target }) => (
              <Select.Option key={`alias-${alias}`} value={alias}>
                {`${alias} → ${target} (alias)`}
              </Select.Option>
            ))}
            {envs
              .filter((e) => !aliasIds.some((a) => a.alias === e.sys.id))
              .map((e) => (
                <Select.Option key={e.sys.id} value={e.sys.id}>
                  {environmentLabel(e)}
                </Select.Option>
              ))}
          </Select>
        </div>
      </TopBar>
      <div className="app-frame">
        <nav className="app-nav" aria-label="Sections">
          <NavList>
            {SECTIONS.map((s) => (
              <NavList.Item key={s.path} as={Link} to={`${base}/${s.path}`} isActive={section.split('/')[0] === s.path}>
                {s.label}
              </NavList.Item>
            ))}
          </NavList>
        </nav>
        <main id="main" className="app-main">
          <ErrorNote error={spaces.error ?? environments.error} />
          <AccessProvider spaceId={spaceId}>
            <Outlet />
          </AccessProvider>
        </main>
      </div>
    </EnvironmentsContext.Provider>
  );
}
