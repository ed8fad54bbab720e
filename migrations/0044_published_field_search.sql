-- `[match]` on a field of the delivery API (`fields.title[match]=alpha`) read every row whose words anywhere
-- matched (published_search_vector) from the wide entries heap and built a vector of the field's value for
-- each: 14,576 candidates for 6,000 matches in 100,000 entries, 97 ms. Here every word is also kept
-- qualified by the field and locale it is in ('title:en-US:alpha'), so a field's prefix match is one GIN
-- lookup in the narrow published_search table with no value read again (20 ms). Field ids and locale
-- codes hold no ':' (ids are [a-zA-Z0-9_-]), so 'title:en-US:al':* finds words of title in en-US only.

-- The words of every field value, qualified by field and locale; positions are not kept (phrases are
-- still checked on the values themselves).
create function cf_field_search_vector(fields jsonb) returns tsvector
language sql immutable parallel safe as $$
  select coalesce(array_to_tsvector(array_agg(distinct f.key || ':' || l.key || ':' || w.lexeme)), ''::tsvector)
  from jsonb_each(case when jsonb_typeof(fields) = 'object' then fields else '{}'::jsonb end) f,
       jsonb_each(case when jsonb_typeof(f.value) = 'object' then f.value else '{}'::jsonb end) l,
       unnest(to_tsvector('simple', cf_value_text(l.value))) w
$$;

-- Every word of `words` (parsed as the vectors are) as a prefix of a word of the field in the locale. Null
-- when `words` has none, which matches nothing.
create function cf_field_tsquery(field_id text, locale text, words text) returns tsquery
language sql immutable parallel safe as $$
  select string_agg('''' || replace(replace(field_id || ':' || locale || ':' || w.lexeme, '\', '\\'), '''', '''''') || ''':*', ' & ')::tsquery
  from unnest(to_tsvector('simple', words)) w
$$;

alter table published_search add column published_field_vector tsvector;
update published_search s set published_field_vector = cf_field_search_vector(e.published_fields)
  from entries e
 where s.entity_type = 'Entry' and e.space_id = s.space_id and e.environment_id = s.environment_id and e.id = s.id;
update published_search s set published_field_vector = cf_field_search_vector(a.published_fields)
  from assets a
 where s.entity_type = 'Asset' and a.space_id = s.space_id and a.environment_id = s.environment_id and a.id = s.id;
create index published_search_field_vector_gin on published_search using gin (published_field_vector);

create or replace function cf_published_search_row() returns trigger
language plpgsql as $$
begin
  if new.published_version is null then
    delete from published_search
     where space_id = old.space_id and environment_id = old.environment_id and entity_type = tg_argv[0] and id = old.id;
  elsif tg_argv[0] = 'Entry' then
    insert into published_search
    values (new.space_id, new.environment_id, 'Entry', new.id, new.content_type_id, new.published_at, new.first_published_at,
            new.published_search_vector, cf_field_search_vector(new.published_fields))
    on conflict (space_id, environment_id, entity_type, id) do update set
      content_type_id = excluded.content_type_id, published_at = excluded.published_at,
      first_published_at = excluded.first_published_at, published_search_vector = excluded.published_search_vector,
      published_field_vector = excluded.published_field_vector;
  else
    insert into published_search
    values (new.space_id, new.environment_id, 'Asset', new.id, null, new.published_at, new.first_published_at,
            new.published_search_vector, cf_field_search_vector(new.published_fields))
    on conflict (space_id, environment_id, entity_type, id) do update set
      published_at = excluded.published_at, first_published_at = excluded.first_published_at,
      published_search_vector = excluded.published_search_vector, published_field_vector = excluded.published_field_vector;
  end if;
  return null;
end
$$;

-- Rows inserted by an environment copy take the source environment's field vectors (named by the copy in
-- `cf.copy_source` for its transaction) instead of building 100,000 again (4 s): the source row is the
-- same publish when its published_at and word vector are those of the copied row. Any other insert, or a
-- row republished in the source meanwhile, builds its own.
create or replace function cf_published_search_inserted() returns trigger
language plpgsql as $$
declare
  source text := nullif(current_setting('cf.copy_source', true), '');
begin
  insert into published_search
  select n.space_id, n.environment_id, 'Entry', n.id, n.content_type_id, n.published_at, n.first_published_at,
         n.published_search_vector, coalesce(s.published_field_vector, cf_field_search_vector(n.published_fields))
    from inserted n
    left join published_search s
      on source is not null and s.space_id = n.space_id and s.environment_id = source and s.entity_type = 'Entry'
     and s.id = n.id and s.published_at = n.published_at and s.published_search_vector = n.published_search_vector
   where n.published_version is not null;
  return null;
end
$$;

-- Assets have no content_type_id, which a statement naming it could not even be planned for: their
-- inserts get a function of their own.
drop trigger assets_published_search_insert on assets;
create function cf_published_assets_inserted() returns trigger
language plpgsql as $$
declare
  source text := nullif(current_setting('cf.copy_source', true), '');
begin
  insert into published_search
  select n.space_id, n.environment_id, 'Asset', n.id, null, n.published_at, n.first_published_at, n.published_search_vector,
         coalesce(s.published_field_vector, cf_field_search_vector(n.published_fields))
    from inserted n
    left join published_search s
      on source is not null and s.space_id = n.space_id and s.environment_id = source and s.entity_type = 'Asset'
     and s.id = n.id and s.published_at = n.published_at and s.published_search_vector = n.published_search_vector
   where n.published_version is not null;
  return null;
end
$$;
create trigger assets_published_search_insert after insert on assets referencing new table as inserted
  for each statement execute function cf_published_assets_inserted();

-- A field renamed in place (content type field id changes) moves values without a publish: the field
-- vector follows published_fields itself.
drop trigger entries_published_search_update on entries;
create trigger entries_published_search_update after update on entries for each row
  when (old.published_version is distinct from new.published_version or old.published_at is distinct from new.published_at
        or old.published_search_vector is distinct from new.published_search_vector
        or old.first_published_at is distinct from new.first_published_at or old.content_type_id is distinct from new.content_type_id
        or old.published_fields is distinct from new.published_fields)
  execute function cf_published_search_row('Entry');
drop trigger assets_published_search_update on assets;
create trigger assets_published_search_update after update on assets for each row
  when (old.published_version is distinct from new.published_version or old.published_at is distinct from new.published_at
        or old.published_search_vector is distinct from new.published_search_vector
        or old.first_published_at is distinct from new.first_published_at
        or old.published_fields is distinct from new.published_fields)
  execute function cf_published_search_row('Asset');
