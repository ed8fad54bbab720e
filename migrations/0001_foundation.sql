-- Organizations, users, tokens, spaces, environments and locales: what every later resource is scoped by.

create table organizations (
  id text primary key,
  name text not null,
  version integer not null default 1,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now()
);

create table users (
  id text primary key,
  email text not null,
  first_name text not null default '',
  last_name text not null default '',
  activated boolean not null default true,
  version integer not null default 1,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now()
);
create unique index users_email_key on users (lower(email));

create table organization_memberships (
  id text primary key,
  organization_id text not null references organizations (id) on delete cascade,
  user_id text not null references users (id) on delete cascade,
  role text not null check (role in ('owner', 'admin', 'member')),
  version integer not null default 1,
  created_by text,
  updated_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  unique (organization_id, user_id)
);
create index organization_memberships_user_idx on organization_memberships (user_id);

create table personal_access_tokens (
  id text primary key,
  user_id text not null references users (id) on delete cascade,
  name text not null,
  scopes text[] not null,
  token_hash text not null unique,
  redacted_value text not null,
  expires_at timestamptz(3),
  revoked_at timestamptz(3),
  version integer not null default 1,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now()
);
create index personal_access_tokens_user_idx on personal_access_tokens (user_id, created_at);

create table spaces (
  id text primary key,
  organization_id text not null references organizations (id) on delete cascade,
  name text not null,
  version integer not null default 1,
  created_by text,
  updated_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now()
);
create index spaces_organization_idx on spaces (organization_id);

create table space_memberships (
  id text primary key,
  space_id text not null references spaces (id) on delete cascade,
  user_id text not null references users (id) on delete cascade,
  admin boolean not null default false,
  version integer not null default 1,
  created_by text,
  updated_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  unique (space_id, user_id)
);
create index space_memberships_user_idx on space_memberships (user_id);

create table environments (
  space_id text not null references spaces (id) on delete cascade,
  id text not null,
  name text not null,
  status text not null default 'ready' check (status in ('queued', 'inProgress', 'ready', 'failed')),
  version integer not null default 1,
  created_by text,
  updated_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  primary key (space_id, id)
);

create table locales (
  space_id text not null,
  environment_id text not null,
  id text not null,
  code text not null,
  name text not null,
  fallback_code text,
  is_default boolean not null default false,
  content_management_api boolean not null default true,
  content_delivery_api boolean not null default true,
  optional boolean not null default false,
  version integer not null default 1,
  created_by text,
  updated_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  primary key (space_id, environment_id, id),
  unique (space_id, environment_id, code),
  foreign key (space_id, environment_id) references environments (space_id, id) on delete cascade
);
