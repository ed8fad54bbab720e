-- Search support (seed 003, "Search parameters"): full-text vectors over the text of all Symbol, Text and
-- RichText values in all locales (markup stripped), and the link targets of every entry and asset, for
-- both the draft and the published copy, as generated columns with GIN indexes.

-- The searchable text of one field value: a string, the strings of an array, or the text nodes of a
-- rich text document. Tags are removed so markup never matches.
create function cf_value_text(value jsonb) returns text
language sql immutable parallel safe as $$
  select regexp_replace(coalesce(string_agg(t, ' '), ''), '<[^>]*>', ' ', 'g')
  from (
    select value #>> '{}' as t where jsonb_typeof(value) = 'string'
    union all
    select e #>> '{}' from jsonb_array_elements(case when jsonb_typeof(value) = 'array' then value else '[]'::jsonb end) e
      where jsonb_typeof(e) = 'string'
    union all
    select n #>> '{}' from jsonb_path_query(
        case when jsonb_typeof(value) = 'object' and value ->> 'nodeType' = 'document' then value else '{}'::jsonb end,
        'strict $.** ? (@.nodeType == "text").value') n
      where jsonb_typeof(n) = 'string'
  ) parts
$$;

-- The words of every field in every locale. Phrases are checked per value at query time (cf_value_text).
create function cf_search_vector(fields jsonb) returns tsvector
language sql immutable parallel safe as $$
  select to_tsvector('simple', coalesce(string_agg(cf_value_text(l.value), ' '), ''))
  from jsonb_each(case when jsonb_typeof(fields) = 'object' then fields else '{}'::jsonb end) f,
       jsonb_each(case when jsonb_typeof(f.value) = 'object' then f.value else '{}'::jsonb end) l
$$;

-- Every Link target as 'Entry:<id>' / 'Asset:<id>', wherever it sits (single links, arrays, rich text).
create function cf_link_targets(fields jsonb) returns text[]
language sql immutable parallel safe as $$
  select coalesce(array_agg(distinct (l ->> 'linkType') || ':' || (l ->> 'id')), '{}')
  from jsonb_path_query(coalesce(fields, '{}'::jsonb), 'lax $.**.sys ? (@.type == "Link")') l
  where l ->> 'linkType' in ('Entry', 'Asset') and jsonb_typeof(l -> 'id') = 'string'
$$;

alter table entries
  add column search_vector tsvector generated always as (cf_search_vector(fields)) stored,
  add column published_search_vector tsvector generated always as (cf_search_vector(published_fields)) stored,
  add column links text[] generated always as (cf_link_targets(fields)) stored,
  add column published_links text[] generated always as (cf_link_targets(published_fields)) stored;
create index entries_search_gin on entries using gin (search_vector);
create index entries_published_search_gin on entries using gin (published_search_vector);
create index entries_links_gin on entries using gin (links);
create index entries_published_links_gin on entries using gin (published_links);

alter table assets
  add column search_vector tsvector generated always as (cf_search_vector(fields)) stored,
  add column published_search_vector tsvector generated always as (cf_search_vector(published_fields)) stored;
create index assets_search_gin on assets using gin (search_vector);
create index assets_published_search_gin on assets using gin (published_search_vector);
