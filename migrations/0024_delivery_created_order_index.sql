-- The delivery API's sys.createdAt is the first publication, which no index ordered: a page of one content
-- type ordered by -sys.createdAt (a blog's newest posts) sorted every published entry of that type (bench:
-- 60,000 products, 300 ms). Most such queries name a content type; this index gives them in order.
create index entries_type_first_published_order_idx on entries
  (space_id, environment_id, content_type_id, first_published_at desc nulls last, id asc nulls last)
  where published_version is not null;
