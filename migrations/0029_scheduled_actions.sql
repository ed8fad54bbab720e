-- Scheduled actions (issue 24): publish or unpublish an entry or asset at a time. A scheduler claims a due
-- row (status scheduled -> inProgress, FOR UPDATE SKIP LOCKED) before it runs it, so of several processes
-- on one database exactly one runs each action; a restart catches up on what fell due while it was down.
create table scheduled_actions (
  space_id text not null,
  environment_id text not null,
  id text not null,
  entity_type text not null check (entity_type in ('Entry', 'Asset')),
  entity_id text not null,
  action text not null check (action in ('publish', 'unpublish')),
  scheduled_for timestamptz(3) not null,
  -- `scheduledFor` as the client sent it (the datetime string and the optional timezone).
  scheduled_for_json jsonb not null,
  payload jsonb,
  status text not null default 'scheduled' check (status in ('scheduled', 'inProgress', 'succeeded', 'failed', 'canceled')),
  error jsonb,
  version integer not null default 1,
  created_by text,
  updated_by text,
  canceled_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  canceled_at timestamptz(3),
  -- When a scheduler took the action; an action left inProgress by a crashed process is settled from it.
  claimed_at timestamptz(3),
  primary key (space_id, id),
  foreign key (space_id, environment_id) references environments (space_id, id) on delete cascade
);
create index scheduled_actions_due on scheduled_actions (scheduled_for) where status = 'scheduled';
create index scheduled_actions_environment on scheduled_actions (space_id, environment_id, scheduled_for);
create index scheduled_actions_entity on scheduled_actions (space_id, environment_id, entity_id);
