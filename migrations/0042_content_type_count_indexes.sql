-- Every delivery and preview page of a content type says its total: counting 30,000 articles walked the
-- wide order indexes (13 MB, ~18 ms under load, the largest cost of a computed page). These name only
-- what the count filters on; btree deduplication keeps each a few hundred kB (counting: ~4 ms).
create index entries_type_published_count_idx on entries (space_id, environment_id, content_type_id)
  where published_version is not null;
create index entries_type_preview_count_idx on entries (space_id, environment_id, content_type_id)
  where archived_version is null;
