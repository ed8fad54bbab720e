-- Tasks and comments (issue 25). A task belongs to an entry; a comment to an entry or a content type,
-- optionally as a reply to another comment of the same parent. Deleting the parent (entry, content type,
-- comment, environment) deletes them with it.
create table tasks (
  space_id text not null,
  environment_id text not null,
  id text not null,
  entry_id text not null,
  body text not null,
  assigned_to_type text not null check (assigned_to_type in ('User', 'Team')),
  assigned_to_id text not null,
  status text not null check (status in ('active', 'resolved')),
  -- `dueDate` as the client sent it (a date or a date-time).
  due_date text,
  resolved_by text,
  resolved_at timestamptz(3),
  version integer not null default 1,
  created_by text,
  updated_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  primary key (space_id, environment_id, id),
  foreign key (space_id, environment_id, entry_id) references entries (space_id, environment_id, id) on delete cascade
);
create index tasks_entry on tasks (space_id, environment_id, entry_id, created_at);
-- Publishing looks for an entry's unresolved tasks.
create index tasks_unresolved on tasks (space_id, environment_id, entry_id) where status = 'active';

create table comments (
  space_id text not null,
  environment_id text not null,
  id text not null,
  -- The parent entity: exactly one of these.
  entry_id text,
  content_type_id text,
  -- `X-Contentful-Parent-Entity-Reference` as sent (`fields.<field>[.<locale>]`).
  parent_entity_ref text,
  parent_id text,
  -- A JSON string (plain text) or a rich text document.
  body jsonb not null,
  status text not null default 'active' check (status in ('active', 'resolved')),
  version integer not null default 1,
  created_by text,
  updated_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  primary key (space_id, environment_id, id),
  check ((entry_id is null) <> (content_type_id is null)),
  foreign key (space_id, environment_id, entry_id) references entries (space_id, environment_id, id) on delete cascade,
  foreign key (space_id, environment_id, content_type_id) references content_types (space_id, environment_id, id) on delete cascade,
  foreign key (space_id, environment_id, parent_id) references comments (space_id, environment_id, id) on delete cascade
);
create index comments_entry on comments (space_id, environment_id, entry_id, created_at) where entry_id is not null;
create index comments_content_type on comments (space_id, environment_id, content_type_id, created_at) where content_type_id is not null;
create index comments_parent on comments (space_id, environment_id, parent_id) where parent_id is not null;
