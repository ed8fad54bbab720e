-- Entries and assets: the draft and the published copy side by side in one row, so a publish is one
-- UPDATE and delivery reads never join. `fields` is {fieldId: {localeCode: value}}; tags hold tag ids.

create table entries (
  space_id text not null,
  environment_id text not null,
  id text not null,
  content_type_id text not null,
  fields jsonb not null default '{}'::jsonb,
  tags text[] not null default '{}',
  published_fields jsonb,
  published_tags text[],
  version integer not null default 1,
  published_version integer,
  published_counter integer not null default 0,
  first_published_at timestamptz(3),
  published_at timestamptz(3),
  published_by text,
  archived_at timestamptz(3),
  archived_version integer,
  archived_by text,
  created_by text,
  updated_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  primary key (space_id, environment_id, id),
  foreign key (space_id, environment_id) references environments (space_id, id) on delete cascade
);
create index entries_content_type_idx on entries (space_id, environment_id, content_type_id);
create index entries_created_idx on entries (space_id, environment_id, created_at, id);
create index entries_updated_idx on entries (space_id, environment_id, updated_at, id);
create index entries_published_idx on entries (space_id, environment_id, published_at, id) where published_version is not null;
create index entries_fields_gin on entries using gin (fields jsonb_path_ops);
create index entries_published_fields_gin on entries using gin (published_fields jsonb_path_ops);
create index entries_tags_gin on entries using gin (tags);

create table assets (
  space_id text not null,
  environment_id text not null,
  id text not null,
  fields jsonb not null default '{}'::jsonb,
  tags text[] not null default '{}',
  published_fields jsonb,
  published_tags text[],
  version integer not null default 1,
  published_version integer,
  published_counter integer not null default 0,
  first_published_at timestamptz(3),
  published_at timestamptz(3),
  published_by text,
  archived_at timestamptz(3),
  archived_version integer,
  archived_by text,
  created_by text,
  updated_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  primary key (space_id, environment_id, id),
  foreign key (space_id, environment_id) references environments (space_id, id) on delete cascade
);
create index assets_created_idx on assets (space_id, environment_id, created_at, id);
create index assets_updated_idx on assets (space_id, environment_id, updated_at, id);
create index assets_published_idx on assets (space_id, environment_id, published_at, id) where published_version is not null;
create index assets_fields_gin on assets using gin (fields jsonb_path_ops);
create index assets_published_fields_gin on assets using gin (published_fields jsonb_path_ops);
create index assets_tags_gin on assets using gin (tags);
