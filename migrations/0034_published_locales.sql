-- Locale-based publishing (X-Contentful-Locale-Based-Publishing): the locales an entry or asset has published,
-- fixed when it is published. NULL means entry-level publishing, where every locale counts as published.
-- No index: the delivery filter `published_locales is null or $locale = any(published_locales)` only narrows
-- rows the existing (space, environment, published) indexes find, and almost every row is NULL.
alter table entries add column published_locales text[];
alter table assets add column published_locales text[];
