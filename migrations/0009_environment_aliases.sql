-- Environment aliases (seed 000 "Environment aliases", seed 004): an id that resolves to a target environment.
create table environment_aliases (
  space_id text not null references spaces (id) on delete cascade,
  id text not null,
  target_environment_id text not null,
  version integer not null default 1,
  created_by text,
  updated_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  primary key (space_id, id),
  foreign key (space_id, target_environment_id) references environments (space_id, id)
);
create index environment_aliases_target_idx on environment_aliases (space_id, target_environment_id);
