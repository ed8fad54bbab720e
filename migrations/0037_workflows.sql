-- Workflows (issue 25): workflow definitions (ordered steps with actions and permissions, the content types
-- they apply to), workflows that take one entry through a definition's steps, and the workflows changelog,
-- one record per workflow event, written in the transaction of the change it records.
create table workflow_definitions (
  space_id text not null,
  environment_id text not null,
  id text not null,
  name text not null,
  description text,
  -- As sent: links to entries with `linkContentType` validations; null when the definition has none.
  applies_to jsonb,
  -- The ordered steps, each with its id (given or generated), name, actions, permissions and annotations.
  steps jsonb not null,
  flow_type text not null default 'no_restriction' check (flow_type in ('no_restriction', 'strict_neighbor')),
  start_on_entity_creation boolean not null default false,
  version integer not null default 1,
  created_by text,
  updated_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  primary key (space_id, environment_id, id),
  foreign key (space_id, environment_id) references environments (space_id, id) on delete cascade
);

create table workflows (
  space_id text not null,
  environment_id text not null,
  id text not null,
  entity_id text not null,
  definition_id text not null,
  step_id text not null,
  version integer not null default 1,
  created_by text,
  updated_by text,
  completed_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  completed_at timestamptz(3),
  primary key (space_id, environment_id, id),
  -- A deleted entry takes its workflows along; a definition is deleted only without active workflows,
  -- and its completed ones go with it.
  foreign key (space_id, environment_id, entity_id) references entries (space_id, environment_id, id) on delete cascade,
  foreign key (space_id, environment_id, definition_id) references workflow_definitions (space_id, environment_id, id) on delete cascade
);
-- One active workflow of a definition per entry (Contentful: "a validation error if there is already a
-- workflow of the same type linked to the specified entry"), kept by the database against concurrent starts.
create unique index workflows_active_per_entry on workflows (space_id, environment_id, entity_id, definition_id)
  where completed_at is null;
create index workflows_definition on workflows (space_id, environment_id, definition_id) where completed_at is null;
create index workflows_created on workflows (space_id, environment_id, created_at, id) where completed_at is null;

create table workflows_changelog (
  seq bigint generated always as identity primary key,
  space_id text not null,
  environment_id text not null,
  entity_id text not null,
  workflow_id text not null,
  workflow_version integer not null,
  definition_id text not null,
  event text not null check (event in ('created', 'stepChanged', 'completed', 'deleted')),
  event_by text,
  event_at timestamptz(3) not null,
  step_id text not null,
  step_name text not null,
  step_annotations jsonb not null default '[]',
  foreign key (space_id, environment_id, entity_id) references entries (space_id, environment_id, id) on delete cascade
);
create index workflows_changelog_entity on workflows_changelog (space_id, environment_id, entity_id, event_at desc, seq desc);
