-- Content types (draft definition and activated copy side by side), editor interfaces, UI extensions,
-- and snapshots of published entries and content types.

create table content_types (
  space_id text not null,
  environment_id text not null,
  id text not null,
  name text not null,
  description text,
  display_field text,
  fields jsonb not null default '[]'::jsonb,
  published jsonb,
  version integer not null default 1,
  published_version integer,
  published_counter integer not null default 0,
  first_published_at timestamptz(3),
  published_at timestamptz(3),
  published_by text,
  created_by text,
  updated_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  primary key (space_id, environment_id, id),
  foreign key (space_id, environment_id) references environments (space_id, id) on delete cascade
);

create table editor_interfaces (
  space_id text not null,
  environment_id text not null,
  content_type_id text not null,
  controls jsonb not null default '[]'::jsonb,
  sidebar jsonb,
  editor_layout jsonb,
  group_controls jsonb,
  version integer not null default 1,
  created_by text,
  updated_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  primary key (space_id, environment_id, content_type_id),
  foreign key (space_id, environment_id, content_type_id) references content_types (space_id, environment_id, id) on delete cascade
);

create table extensions (
  space_id text not null,
  environment_id text not null,
  id text not null,
  extension jsonb not null,
  parameters jsonb,
  version integer not null default 1,
  created_by text,
  updated_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  primary key (space_id, environment_id, id),
  foreign key (space_id, environment_id) references environments (space_id, id) on delete cascade
);

create table snapshots (
  space_id text not null,
  environment_id text not null,
  id text not null,
  entity_type text not null check (entity_type in ('Entry', 'ContentType')),
  entity_id text not null,
  snapshot jsonb not null,
  created_by text,
  created_at timestamptz(3) not null default now(),
  primary key (space_id, environment_id, id),
  foreign key (space_id, environment_id) references environments (space_id, id) on delete cascade
);
create index snapshots_entity_idx on snapshots (space_id, environment_id, entity_type, entity_id, created_at desc);
