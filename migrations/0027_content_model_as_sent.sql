-- Editor interfaces keep the entry editors they carry (`editors`, and the older single `editor`).
alter table editor_interfaces add column editors jsonb;
alter table editor_interfaces add column editor jsonb;

-- A content type description is now kept as sent, null included; one that was left out has always been
-- shown as "", which is what the rows written before (null for both) keep showing.
update content_types set description = '' where description is null;
update content_types set published = jsonb_set(published, '{description}', '""')
  where published is not null and published ->> 'description' is null;

-- A field marked `deleted` now leaves the draft at once; drafts saved before still carry such fields.
update content_types
  set fields = coalesce((select jsonb_agg(f order by i) from jsonb_array_elements(fields) with ordinality as e(f, i)
                         where coalesce(f ->> 'deleted', 'false') <> 'true'), '[]'::jsonb)
  where jsonb_path_exists(fields, '$[*] ? (@.deleted == true)');
