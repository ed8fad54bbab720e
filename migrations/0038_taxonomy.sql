-- Taxonomy (issue 25): the concepts and concept schemes of an organization (SKOS-style labels per locale,
-- broader/related links between concepts, schemes grouping concepts), and the concepts entries and assets
-- carry in `metadata.concepts` (draft and published copy, like tags).
create table taxonomy_concepts (
  organization_id text not null references organizations (id) on delete cascade,
  id text not null,
  -- The preferred label that `order=prefLabel` sorts by (en-US, else the first locale's).
  pref_label text not null,
  -- uri, prefLabel, altLabels, hiddenLabels, the notes per locale and notations, as the API shows them.
  content jsonb not null,
  -- Ids of the broader (parent) and related concepts of the same organization.
  broader text[] not null default '{}',
  related text[] not null default '{}',
  version integer not null default 1,
  created_by text,
  updated_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  primary key (organization_id, id)
);
-- Descendants are found by walking down `broader` (the descendants filter, /descendants, cycle checks).
create index taxonomy_concepts_broader_gin on taxonomy_concepts using gin (broader);
create index taxonomy_concepts_related_gin on taxonomy_concepts using gin (related);
create index taxonomy_concepts_created_idx on taxonomy_concepts (organization_id, created_at, id);

create table taxonomy_concept_schemes (
  organization_id text not null references organizations (id) on delete cascade,
  id text not null,
  pref_label text not null,
  -- uri, prefLabel and definition.
  content jsonb not null,
  top_concepts text[] not null default '{}',
  concepts text[] not null default '{}',
  version integer not null default 1,
  created_by text,
  updated_by text,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  primary key (organization_id, id)
);
-- A concept's `conceptSchemes` and the `conceptScheme` filter look schemes up by the concepts they hold.
create index taxonomy_concept_schemes_concepts_gin on taxonomy_concept_schemes using gin (concepts);
create index taxonomy_concept_schemes_created_idx on taxonomy_concept_schemes (organization_id, created_at, id);

-- `metadata.concepts`: concept ids of the draft, and of the published copy (null while unpublished).
alter table entries add column concepts text[] not null default '{}', add column published_concepts text[];
alter table assets add column concepts text[] not null default '{}', add column published_concepts text[];
-- The management/preview and delivery searches `metadata.concepts.sys.id[in|all|nin]` and `[descendants]`.
create index entries_concepts_gin on entries using gin (concepts);
create index entries_published_concepts_gin on entries using gin (published_concepts);
create index assets_concepts_gin on assets using gin (concepts);
create index assets_published_concepts_gin on assets using gin (published_concepts);
