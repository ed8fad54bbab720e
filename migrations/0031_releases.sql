-- Releases (issue 24): a titled set of entries and assets published or unpublished together through
-- release actions, which run in the background like bulk actions (claimed with FOR UPDATE SKIP LOCKED).
create table releases (
  space_id text not null,
  environment_id text not null,
  id text not null,
  title text not null,
  -- The entities as sent: links (Release.v1) or { entity, action } items (Release.v2).
  entities jsonb not null,
  schema_version text,
  metadata jsonb,
  status text not null default 'active' check (status in ('active', 'archived')),
  last_action_id text,
  version integer not null default 1,
  created_by text,
  updated_by text,
  archived_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  archived_at timestamptz(3),
  primary key (space_id, environment_id, id),
  foreign key (space_id, environment_id) references environments (space_id, id) on delete cascade
);
create table release_actions (
  space_id text not null,
  environment_id text not null,
  id text not null,
  release_id text not null,
  action text not null check (action in ('publish', 'unpublish', 'validate')),
  status text not null default 'created' check (status in ('created', 'inProgress', 'succeeded', 'failed')),
  error jsonb,
  created_by text,
  updated_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  claimed_at timestamptz(3),
  primary key (space_id, environment_id, id),
  foreign key (space_id, environment_id) references environments (space_id, id) on delete cascade
);
create index release_actions_waiting on release_actions (created_at) where status = 'created';
create index release_actions_release on release_actions (space_id, environment_id, release_id, created_at);
