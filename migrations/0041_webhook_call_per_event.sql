-- One webhook call per webhook and event, enforced by the database: dispatching is serialized on the
-- cursor row, yet a run of two server processes under heavy load once recorded two calls for one event.
-- Whatever the path, a second dispatch of the same event now inserts nothing. Earlier duplicates keep
-- their first call.
delete from webhook_calls c
using webhook_calls first
where first.space_id = c.space_id
  and first.webhook_id = c.webhook_id
  and first.event_seq = c.event_seq
  and (first.created_at, first.id) < (c.created_at, c.id);
create unique index webhook_calls_event_key on webhook_calls (space_id, webhook_id, event_seq);
