-- The change log: one row per content change, written in the same transaction as the change.
-- It is the webhook outbox and the Sync API's delta source; seq orders everything.
create table events (
  seq bigint generated always as identity primary key,
  space_id text not null,
  environment_id text not null,
  entity_type text not null,
  entity_id text not null,
  action text not null,
  topic text not null,
  payload jsonb not null,
  user_id text,
  created_at timestamptz(3) not null default now(),
  foreign key (space_id, environment_id) references environments (space_id, id) on delete cascade
);
create index events_environment_seq_idx on events (space_id, environment_id, seq);
create index events_entity_idx on events (space_id, environment_id, entity_type, entity_id, seq);
