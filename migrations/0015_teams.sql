-- Teams, their memberships, their access to spaces, and organization invitations (seed 004).

create table teams (
  id text primary key,
  organization_id text not null references organizations (id) on delete cascade,
  name text not null,
  description text not null default '',
  version integer not null default 1,
  created_by text,
  updated_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now()
);
create unique index teams_name_key on teams (organization_id, lower(name));

create table team_memberships (
  id text primary key,
  team_id text not null references teams (id) on delete cascade,
  organization_membership_id text not null references organization_memberships (id) on delete cascade,
  user_id text not null references users (id) on delete cascade,
  admin boolean not null default false,
  version integer not null default 1,
  created_by text,
  updated_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  unique (team_id, organization_membership_id)
);
create index team_memberships_user_idx on team_memberships (user_id);

create table team_space_memberships (
  id text primary key,
  team_id text not null references teams (id) on delete cascade,
  space_id text not null references spaces (id) on delete cascade,
  admin boolean not null default false,
  role_ids text[] not null default '{}',
  version integer not null default 1,
  created_by text,
  updated_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  unique (space_id, team_id)
);
create index team_space_memberships_team_idx on team_space_memberships (team_id);

-- An invitation makes the organization membership at once (the user can be given teams and spaces
-- before accepting); accepting activates the user. Deleting the membership deletes its invitations.
create table organization_invitations (
  id text primary key,
  organization_id text not null references organizations (id) on delete cascade,
  organization_membership_id text not null references organization_memberships (id) on delete cascade,
  email text not null,
  first_name text not null default '',
  last_name text not null default '',
  role text not null,
  status text not null default 'pending' check (status in ('pending', 'accepted')),
  version integer not null default 1,
  created_by text,
  updated_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now()
);
create index organization_invitations_organization_idx on organization_invitations (organization_id);
