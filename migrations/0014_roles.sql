-- Roles (seed 000, "Roles") and the roles of each space membership.
create table roles (
  space_id text not null references spaces (id) on delete cascade,
  id text not null,
  name text not null,
  description text,
  permissions jsonb not null default '{}'::jsonb,
  policies jsonb not null default '[]'::jsonb,
  version integer not null default 1,
  created_by text,
  updated_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  primary key (space_id, id)
);
create unique index roles_name_key on roles (space_id, name);

alter table space_memberships add column role_ids text[] not null default '{}';
