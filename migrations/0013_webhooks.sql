-- Webhooks (seed 000, "Webhooks"): definitions, the calls made from the change log, and the position of
-- the dispatcher in that log.
create table webhook_definitions (
  space_id text not null references spaces (id) on delete cascade,
  id text not null,
  name text not null,
  url text not null,
  topics text[] not null,
  filters jsonb,
  headers jsonb not null default '[]'::jsonb,
  http_basic_username text,
  http_basic_password_sealed text,
  transformation jsonb,
  active boolean not null default true,
  version integer not null default 1,
  created_by text,
  updated_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  primary key (space_id, id)
);

create table webhook_calls (
  id text primary key,
  space_id text not null,
  webhook_id text not null,
  event_seq bigint not null,
  topic text not null,
  status text not null check (status in ('pending', 'success', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz(3) not null default now(),
  request jsonb,
  response jsonb,
  status_code integer,
  errors jsonb not null default '[]'::jsonb,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  foreign key (space_id, webhook_id) references webhook_definitions (space_id, id) on delete cascade
);
create index webhook_calls_due_idx on webhook_calls (next_attempt_at) where status = 'pending';
create index webhook_calls_webhook_idx on webhook_calls (space_id, webhook_id, created_at desc);

create table webhook_dispatch_cursor (
  id integer primary key check (id = 1),
  last_seq bigint not null
);
insert into webhook_dispatch_cursor (id, last_seq) values (1, 0);
