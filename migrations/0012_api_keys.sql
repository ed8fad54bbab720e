-- Delivery and preview API keys (seed 000, "API keys"). Each delivery key has a preview key; both list
-- the environments (or aliases) they may read. Tokens are kept hashed for lookup and sealed (encrypted)
-- because the API shows them on every read, as Contentful does.
create table api_keys (
  space_id text not null references spaces (id) on delete cascade,
  id text not null,
  kind text not null check (kind in ('delivery', 'preview')),
  name text not null,
  description text,
  token_hash text not null unique,
  token_sealed text not null,
  environments text[] not null default '{master}',
  preview_key_id text,
  version integer not null default 1,
  created_by text,
  updated_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  primary key (space_id, id)
);
