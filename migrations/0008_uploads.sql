-- Uploads (seed 000, "Upload API"): files waiting to be attached to an asset, removed after 24 hours.
create table uploads (
  space_id text not null references spaces (id) on delete cascade,
  id text not null,
  environment_id text,
  blob_key text not null,
  size bigint not null,
  created_by text,
  created_at timestamptz(3) not null default now(),
  expires_at timestamptz(3) not null,
  primary key (space_id, id)
);
create index uploads_expiry_idx on uploads (expires_at);
