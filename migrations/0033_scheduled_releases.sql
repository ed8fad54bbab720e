-- Scheduled actions may publish or unpublish a release (issue 24): they start a release action then.
alter table scheduled_actions drop constraint scheduled_actions_entity_type_check;
alter table scheduled_actions add constraint scheduled_actions_entity_type_check check (entity_type in ('Entry', 'Asset', 'Release'));
