-- Release versions (Timeline, issue 24): an entry's or asset's content as one release will publish it,
-- edited through /releases/{id}/entries|assets/{id} without touching the entity's own draft. Publishing
-- the release writes this content to the entity and publishes it in the same transaction.
create table release_versions (
  space_id text not null,
  environment_id text not null,
  release_id text not null,
  entity_type text not null check (entity_type in ('Entry', 'Asset')),
  entity_id text not null,
  fields jsonb not null,
  tags text[] not null default '{}',
  version integer not null,
  created_by text,
  updated_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  primary key (space_id, environment_id, release_id, entity_type, entity_id),
  foreign key (space_id, environment_id, release_id) references releases (space_id, environment_id, id) on delete cascade
);
-- Timeline preview reads every release's version of a set of entities.
create index release_versions_entity on release_versions (space_id, environment_id, entity_type, entity_id);
