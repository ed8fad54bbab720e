-- Content tags (seed 003 "Tags", seed 004): per environment, public or private, unique by id and name.
create table tags (
  space_id text not null,
  environment_id text not null,
  id text not null,
  name text not null,
  visibility text not null check (visibility in ('public', 'private')),
  version integer not null default 1,
  created_by text,
  updated_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  primary key (space_id, environment_id, id),
  foreign key (space_id, environment_id) references environments (space_id, id) on delete cascade
);
create unique index tags_name_key on tags (space_id, environment_id, name);
