-- Full-text searches of the delivery API (`query=`) read their matches, total and default order from this
-- narrow copy of the published entries' and assets' search columns instead of the wide entries and assets
-- heaps: a match of 14,570 entries in 100,000 read 8,135 heap pages (150-400 ms once other queries had
-- pushed them out of shared buffers); here they take about 2,000 (12 ms). Its columns are named as in the
-- tables it copies, so the search compiler's conditions and orders apply to it unchanged.
create table published_search (
  space_id text not null,
  environment_id text not null,
  entity_type text not null check (entity_type in ('Entry', 'Asset')),
  id text not null,
  content_type_id text,
  published_at timestamptz,
  first_published_at timestamptz,
  published_search_vector tsvector,
  primary key (space_id, environment_id, entity_type, id),
  foreign key (space_id, environment_id) references environments (space_id, id) on delete cascade
);
create index published_search_vector_gin on published_search using gin (published_search_vector);

insert into published_search
select space_id, environment_id, 'Entry', id, content_type_id, published_at, first_published_at, published_search_vector
  from entries where published_version is not null;
insert into published_search
select space_id, environment_id, 'Asset', id, null, published_at, first_published_at, published_search_vector
  from assets where published_version is not null;

-- Kept in the writing statement's transaction (one function for both tables: plpgsql resolves a row's
-- fields when a line runs, so asset rows never reach content_type_id). A row's publish, unpublish or republish (the copied columns
-- change) upserts or deletes its copy; draft saves change none of them, and their WHEN clause skips the
-- function. Inserts (an environment copy: 100,000 rows at once) and deletes (a deleted environment) are
-- one statement for all their rows.
create function cf_published_search_row() returns trigger
language plpgsql as $$
begin
  if new.published_version is null then
    delete from published_search
     where space_id = old.space_id and environment_id = old.environment_id and entity_type = tg_argv[0] and id = old.id;
  elsif tg_argv[0] = 'Entry' then
    insert into published_search
    values (new.space_id, new.environment_id, 'Entry', new.id, new.content_type_id, new.published_at, new.first_published_at,
            new.published_search_vector)
    on conflict (space_id, environment_id, entity_type, id) do update set
      content_type_id = excluded.content_type_id, published_at = excluded.published_at,
      first_published_at = excluded.first_published_at, published_search_vector = excluded.published_search_vector;
  else
    insert into published_search
    values (new.space_id, new.environment_id, 'Asset', new.id, null, new.published_at, new.first_published_at, new.published_search_vector)
    on conflict (space_id, environment_id, entity_type, id) do update set
      published_at = excluded.published_at, first_published_at = excluded.first_published_at,
      published_search_vector = excluded.published_search_vector;
  end if;
  return null;
end
$$;

create function cf_published_search_inserted() returns trigger
language plpgsql as $$
begin
  if tg_argv[0] = 'Entry' then
    insert into published_search
    select n.space_id, n.environment_id, 'Entry', n.id, n.content_type_id, n.published_at, n.first_published_at, n.published_search_vector
      from inserted n where n.published_version is not null;
  else
    insert into published_search
    select n.space_id, n.environment_id, 'Asset', n.id, null, n.published_at, n.first_published_at, n.published_search_vector
      from inserted n where n.published_version is not null;
  end if;
  return null;
end
$$;

create function cf_published_search_deleted() returns trigger
language plpgsql as $$
begin
  delete from published_search s using deleted o
   where s.space_id = o.space_id and s.environment_id = o.environment_id and s.entity_type = tg_argv[0] and s.id = o.id;
  return null;
end
$$;

create trigger entries_published_search_update after update on entries for each row
  when (old.published_version is distinct from new.published_version or old.published_at is distinct from new.published_at
        or old.published_search_vector is distinct from new.published_search_vector
        or old.first_published_at is distinct from new.first_published_at or old.content_type_id is distinct from new.content_type_id)
  execute function cf_published_search_row('Entry');
create trigger entries_published_search_insert after insert on entries referencing new table as inserted
  for each statement execute function cf_published_search_inserted('Entry');
create trigger entries_published_search_delete after delete on entries referencing old table as deleted
  for each statement execute function cf_published_search_deleted('Entry');

create trigger assets_published_search_update after update on assets for each row
  when (old.published_version is distinct from new.published_version or old.published_at is distinct from new.published_at
        or old.published_search_vector is distinct from new.published_search_vector
        or old.first_published_at is distinct from new.first_published_at)
  execute function cf_published_search_row('Asset');
create trigger assets_published_search_insert after insert on assets referencing new table as inserted
  for each statement execute function cf_published_search_inserted('Asset');
create trigger assets_published_search_delete after delete on assets referencing old table as deleted
  for each statement execute function cf_published_search_deleted('Asset');
