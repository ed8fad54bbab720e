-- The environment a queued copy reads from, so a copy cut short by a restart can be started again.
alter table environments add column source_environment_id text;
