-- Content type metadata: annotations of the content type and its fields (contentful-migration's
-- setAnnotations) and taxonomy validations, kept as sent.
alter table content_types add column metadata jsonb;
