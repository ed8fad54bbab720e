-- The change log is read in an order no late commit can break. A sequence number is taken when a row is
-- inserted, not when its transaction commits, so a reader that remembered the highest seq it saw could pass
-- a lower one that committed later (lost webhook calls and sync changes under concurrent writers). Each row
-- now carries the id of the transaction that wrote it; readers take only rows of transactions older than
-- the oldest one still running (pg_snapshot_xmin), which are all final, in (xid, seq) order, and remember
-- the last (xid, seq) they read. Rows written before this migration get xid 0, so a position (0, seq) means
-- what the old seq position meant and everything written later comes after it.
alter table events add column xid xid8 not null default '0';
alter table events alter column xid set default pg_current_xact_id();
create index events_xid_seq_idx on events (xid, seq);
create index events_environment_xid_seq_idx on events (space_id, environment_id, xid, seq);
drop index events_environment_seq_idx;

alter table webhook_dispatch_cursor add column last_xid xid8 not null default '0';

-- Calls about one entity and webhook are delivered in the order of their events: a call waits while an
-- earlier one for the same entity and webhook is still pending (in flight or waiting for a retry).
alter table webhook_calls add column call_seq bigint generated always as identity;
alter table webhook_calls add column environment_id text;
alter table webhook_calls add column entity_type text;
alter table webhook_calls add column entity_id text;
update webhook_calls c set environment_id = e.environment_id, entity_type = e.entity_type, entity_id = e.entity_id
  from events e where e.seq = c.event_seq;
-- Calls whose event is gone (its environment was deleted) fail when sent; they only need a key.
update webhook_calls set environment_id = '', entity_type = '', entity_id = '' where entity_id is null;
alter table webhook_calls alter column environment_id set not null, alter column entity_type set not null,
  alter column entity_id set not null;
create index webhook_calls_entity_pending_idx on webhook_calls (space_id, webhook_id, entity_id, call_seq) where status = 'pending';
