-- Bulk actions (issue 24): publish, unpublish or validate up to 200 entries and assets in the background.
-- Created as `created`; a worker claims each (FOR UPDATE SKIP LOCKED, so one process runs it) and records
-- `succeeded` or `failed` with the errors of each entity. A restart picks up what was not run yet.
create table bulk_actions (
  space_id text not null,
  environment_id text not null,
  id text not null,
  action text not null check (action in ('publish', 'unpublish', 'validate')),
  -- The request body as sent (v1 `entities.items` or v2 `entities`).
  payload jsonb not null,
  api_version integer not null default 1,
  status text not null default 'created' check (status in ('created', 'inProgress', 'succeeded', 'failed')),
  error jsonb,
  created_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  claimed_at timestamptz(3),
  primary key (space_id, id),
  foreign key (space_id, environment_id) references environments (space_id, id) on delete cascade
);
create index bulk_actions_waiting on bulk_actions (created_at) where status = 'created';
