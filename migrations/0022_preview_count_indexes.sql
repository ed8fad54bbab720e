-- The preview API leaves archived entries and assets out, so its totals filter on archived_version. With
-- that column in the default-order indexes those counts are index-only scans, like the delivery API's
-- (bench: counting 30,000 articles read them all from the table, 180 ms).
drop index entries_type_updated_order_idx;
create index entries_type_updated_order_idx on entries (space_id, environment_id, content_type_id, updated_at desc nulls last, id asc nulls last)
  include (archived_version);
drop index entries_updated_order_idx;
create index entries_updated_order_idx on entries (space_id, environment_id, updated_at desc nulls last, id asc nulls last)
  include (archived_version);
drop index assets_updated_order_idx;
create index assets_updated_order_idx on assets (space_id, environment_id, updated_at desc nulls last, id asc nulls last)
  include (archived_version);
