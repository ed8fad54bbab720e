-- Contentful's fourth organization role (issue 21): developers reach only the spaces and teams they are
-- added to, like members; the server has no app definitions or taxonomy for the rest of what they may do.
alter table organization_memberships drop constraint organization_memberships_role_check;
alter table organization_memberships add constraint organization_memberships_role_check
  check (role in ('owner', 'admin', 'developer', 'member'));
