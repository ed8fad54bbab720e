-- Webhook settings of a space (issue 29), one row each at most: the signing secret every webhook call of
-- the space is signed with (sealed, like secret headers), and the retry policy (Contentful's bounds).
create table webhook_signing_secrets (
  space_id text primary key references spaces (id) on delete cascade,
  value_sealed text not null,
  version integer not null default 1,
  created_by text,
  updated_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now()
);

create table webhook_retry_policies (
  space_id text primary key references spaces (id) on delete cascade,
  max_retries integer not null check (max_retries between 2 and 99),
  version integer not null default 1,
  created_by text,
  updated_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now()
);
