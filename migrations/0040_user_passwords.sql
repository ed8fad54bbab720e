-- Passwords for signing in to the web app (issue 26): one scrypt hash a user (PHC string with its own
-- salt and parameters), kept apart from `users` so no query of users can ever read one.
create table user_passwords (
  user_id text primary key references users (id) on delete cascade,
  password_hash text not null,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now()
);
