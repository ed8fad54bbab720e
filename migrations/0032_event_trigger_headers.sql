-- What carried out a change, when an action did (issue 24): the headers Contentful adds to the webhook calls
-- about entries and assets a bulk action, scheduled action or release published or unpublished.
alter table events add column trigger_headers jsonb;
