import type { ColumnType, Generated, Selectable } from 'kysely';

/** Timestamps come back as Date and may be written as Date or ISO string. */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** Columns shared by every versioned resource. */
export interface VersionedColumns {
  version: Generated<number>;
  created_by: string | null;
  updated_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OrganizationsTable {
  id: string;
  name: string;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UsersTable {
  id: string;
  email: string;
  first_name: Generated<string>;
  last_name: Generated<string>;
  activated: Generated<boolean>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OrganizationMembershipsTable extends VersionedColumns {
  id: string;
  organization_id: string;
  user_id: string;
  role: 'owner' | 'admin' | 'developer' | 'member';
}

export interface PersonalAccessTokensTable {
  id: string;
  user_id: string;
  name: string;
  scopes: string[];
  token_hash: string;
  redacted_value: string;
  expires_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A user's web app password (migration 0040): a scrypt PHC string, never read with the user. */
export interface UserPasswordsTable {
  user_id: string;
  password_hash: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SpacesTable extends VersionedColumns {
  id: string;
  organization_id: string;
  name: string;
}

export interface SpaceMembershipsTable extends VersionedColumns {
  id: string;
  space_id: string;
  user_id: string;
  admin: Generated<boolean>;
  role_ids: ColumnType<string[], string[] | undefined, string[]>;
}

export interface RolesTable extends VersionedColumns {
  space_id: string;
  id: string;
  name: string;
  description: string | null;
  permissions: Json<Record<string, unknown>>;
  policies: Json<unknown[]>;
}

export type EnvironmentStatus = 'queued' | 'inProgress' | 'ready' | 'failed';

export interface EnvironmentsTable extends VersionedColumns {
  space_id: string;
  id: string;
  name: string;
  status: Generated<EnvironmentStatus>;
  source_environment_id: string | null;
}

export interface LocalesTable extends VersionedColumns {
  space_id: string;
  environment_id: string;
  id: string;
  code: string;
  name: string;
  fallback_code: string | null;
  is_default: Generated<boolean>;
  content_management_api: Generated<boolean>;
  content_delivery_api: Generated<boolean>;
  optional: Generated<boolean>;
}

export interface EventsTable {
  seq: Generated<number>;
  space_id: string;
  environment_id: string;
  entity_type: string;
  entity_id: string;
  action: string;
  topic: string;
  /** jsonb: written as a JSON string, read back parsed. */
  payload: ColumnType<Record<string, unknown>, string, string>;
  user_id: string | null;
  created_at: Timestamp;
  /** xid8 of the writing transaction, as text: with seq, the row's position in the log (migration 0026). */
  xid: Generated<string>;
  /** Webhook headers naming the action that made the change (`X-Contentful-Bulk-Action-Id`, ...). */
  trigger_headers: ColumnType<Record<string, string> | null, string | null | undefined, string | null>;
}

/** jsonb columns are written as JSON strings (pg would turn JS arrays into PostgreSQL arrays) and read back parsed. */
export type Json<T> = ColumnType<T, string, string>;
export type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;

/** `{fieldId: {localeCode: value}}`, the shape of entry and asset fields. */
export type LocalizedFields = Record<string, Record<string, unknown>>;

/** Columns entries and assets share: the draft, the published copy and the publishing/archiving sys. */
export interface PublishableColumns extends VersionedColumns {
  space_id: string;
  environment_id: string;
  id: string;
  fields: ColumnType<LocalizedFields, string | undefined, string>;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  /** `metadata.concepts`: ids of the organization's taxonomy concepts the draft carries. */
  concepts: ColumnType<string[], string[] | undefined, string[]>;
  published_fields: NullableJson<LocalizedFields>;
  published_tags: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  published_concepts: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  /** The locales published one by one (locale-based publishing); null: published for every locale, or unpublished. */
  published_locales: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  published_version: number | null;
  published_counter: Generated<number>;
  first_published_at: NullableTimestamp;
  published_at: NullableTimestamp;
  published_by: string | null;
  archived_at: NullableTimestamp;
  archived_version: number | null;
  archived_by: string | null;
}

export interface EntriesTable extends PublishableColumns {
  content_type_id: string;
}

export type AssetsTable = PublishableColumns;

/** The published entries' and assets' search columns, copied by trigger (migration 0043) for the CDA's full text. */
export interface PublishedSearchTable {
  space_id: string;
  environment_id: string;
  entity_type: 'Entry' | 'Asset';
  id: string;
  content_type_id: string | null;
  published_at: NullableTimestamp;
  first_published_at: NullableTimestamp;
}

export interface ContentTypeDefinitionJson {
  name: string;
  description: string | null;
  displayField: string | null;
  fields: import('../domain/field-types.js').FieldDefinition[];
}

export interface ContentTypesTable extends VersionedColumns {
  space_id: string;
  environment_id: string;
  id: string;
  name: string;
  description: string | null;
  display_field: string | null;
  fields: Json<import('../domain/field-types.js').FieldDefinition[]>;
  published: NullableJson<ContentTypeDefinitionJson>;
  published_version: number | null;
  published_counter: Generated<number>;
  first_published_at: NullableTimestamp;
  published_at: NullableTimestamp;
  published_by: string | null;
  metadata: NullableJson<Record<string, unknown>>;
}

export interface EditorInterfacesTable extends VersionedColumns {
  space_id: string;
  environment_id: string;
  content_type_id: string;
  controls: Json<Record<string, unknown>[]>;
  sidebar: NullableJson<unknown[]>;
  editor_layout: NullableJson<unknown[]>;
  group_controls: NullableJson<unknown[]>;
  editors: NullableJson<unknown[]>;
  editor: NullableJson<Record<string, unknown>>;
}

export interface ExtensionsTable extends VersionedColumns {
  space_id: string;
  environment_id: string;
  id: string;
  extension: Json<Record<string, unknown>>;
  parameters: NullableJson<Record<string, unknown>>;
}

export interface SnapshotsTable {
  space_id: string;
  environment_id: string;
  id: string;
  entity_type: 'Entry' | 'ContentType';
  entity_id: string;
  snapshot: Json<Record<string, unknown>>;
  created_by: string | null;
  created_at: Timestamp;
}

export interface UploadsTable {
  space_id: string;
  id: string;
  environment_id: string | null;
  blob_key: string;
  size: number;
  created_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface EnvironmentAliasesTable extends VersionedColumns {
  space_id: string;
  id: string;
  target_environment_id: string;
}

export interface TagsTable extends VersionedColumns {
  space_id: string;
  environment_id: string;
  id: string;
  name: string;
  visibility: 'public' | 'private';
}

export interface ApiKeysTable extends VersionedColumns {
  space_id: string;
  id: string;
  kind: 'delivery' | 'preview';
  name: string;
  description: string | null;
  token_hash: string;
  token_sealed: string;
  environments: ColumnType<string[], string[] | undefined, string[]>;
  preview_key_id: string | null;
}

export interface WebhookHeader {
  key: string;
  /** Sealed (encrypted) when the header is secret. */
  value: string;
  secret?: boolean;
}

export interface WebhookDefinitionsTable extends VersionedColumns {
  space_id: string;
  id: string;
  name: string;
  url: string;
  topics: ColumnType<string[], string[], string[]>;
  filters: NullableJson<unknown[]>;
  headers: Json<WebhookHeader[]>;
  http_basic_username: string | null;
  http_basic_password_sealed: string | null;
  transformation: NullableJson<Record<string, unknown>>;
  active: Generated<boolean>;
}

export interface WebhookCallsTable {
  id: string;
  space_id: string;
  webhook_id: string;
  event_seq: number;
  /** Orders the calls about one entity and webhook (delivered one after the other). */
  call_seq: Generated<number>;
  environment_id: string;
  entity_type: string;
  entity_id: string;
  topic: string;
  status: 'pending' | 'success' | 'failed';
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  request: NullableJson<Record<string, unknown>>;
  response: NullableJson<Record<string, unknown>>;
  status_code: number | null;
  errors: ColumnType<string[], string | undefined, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A space's webhook signing secret (sealed); at most one per space. */
export interface WebhookSigningSecretsTable extends VersionedColumns {
  space_id: string;
  value_sealed: string;
}

/** A space's webhook retry policy; at most one per space. */
export interface WebhookRetryPoliciesTable extends VersionedColumns {
  space_id: string;
  max_retries: number;
}

export interface TeamsTable extends VersionedColumns {
  id: string;
  organization_id: string;
  name: string;
  description: Generated<string>;
}

export interface TeamMembershipsTable extends VersionedColumns {
  id: string;
  team_id: string;
  organization_membership_id: string;
  user_id: string;
  admin: Generated<boolean>;
}

export interface TeamSpaceMembershipsTable extends VersionedColumns {
  id: string;
  team_id: string;
  space_id: string;
  admin: Generated<boolean>;
  role_ids: ColumnType<string[], string[] | undefined, string[]>;
}

export interface OrganizationInvitationsTable extends VersionedColumns {
  id: string;
  organization_id: string;
  organization_membership_id: string;
  email: string;
  first_name: Generated<string>;
  last_name: Generated<string>;
  role: string;
  status: Generated<'pending' | 'accepted'>;
}

export interface ScheduledActionsTable extends VersionedColumns {
  space_id: string;
  environment_id: string;
  id: string;
  entity_type: 'Entry' | 'Asset' | 'Release';
  entity_id: string;
  action: 'publish' | 'unpublish';
  scheduled_for: Timestamp;
  scheduled_for_json: Json<{ datetime: string; timezone?: string }>;
  payload: NullableJson<Record<string, unknown>>;
  status: Generated<'scheduled' | 'inProgress' | 'succeeded' | 'failed' | 'canceled'>;
  error: NullableJson<Record<string, unknown>>;
  canceled_by: string | null;
  canceled_at: Timestamp | null;
  claimed_at: Timestamp | null;
}

export interface BulkActionsTable {
  space_id: string;
  environment_id: string;
  id: string;
  action: 'publish' | 'unpublish' | 'validate';
  payload: Json<Record<string, unknown>>;
  api_version: Generated<number>;
  status: Generated<'created' | 'inProgress' | 'succeeded' | 'failed'>;
  error: NullableJson<Record<string, unknown>>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  claimed_at: Timestamp | null;
}

export interface ReleasesTable extends VersionedColumns {
  space_id: string;
  environment_id: string;
  id: string;
  title: string;
  entities: Json<unknown[]>;
  schema_version: string | null;
  metadata: NullableJson<Record<string, unknown>>;
  status: Generated<'active' | 'archived'>;
  last_action_id: string | null;
  archived_by: string | null;
  archived_at: Timestamp | null;
}

export interface ReleaseVersionsTable {
  space_id: string;
  environment_id: string;
  release_id: string;
  entity_type: 'Entry' | 'Asset';
  entity_id: string;
  fields: Json<LocalizedFields>;
  tags: string[];
  version: number;
  created_by: string | null;
  updated_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ReleaseActionsTable {
  space_id: string;
  environment_id: string;
  id: string;
  release_id: string;
  action: 'publish' | 'unpublish' | 'validate';
  status: Generated<'created' | 'inProgress' | 'succeeded' | 'failed'>;
  error: NullableJson<Record<string, unknown>>;
  created_by: string | null;
  updated_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  claimed_at: Timestamp | null;
}

export interface TasksTable extends VersionedColumns {
  space_id: string;
  environment_id: string;
  id: string;
  entry_id: string;
  body: string;
  assigned_to_type: 'User' | 'Team';
  assigned_to_id: string;
  status: 'active' | 'resolved';
  due_date: string | null;
  resolved_by: string | null;
  resolved_at: NullableTimestamp;
}

/** A rich text comment body: paragraphs of text and mentions. */
export interface RichTextDocument {
  nodeType: 'document';
  data: Record<string, unknown>;
  content: Record<string, unknown>[];
}

export interface CommentsTable extends VersionedColumns {
  space_id: string;
  environment_id: string;
  id: string;
  entry_id: string | null;
  content_type_id: string | null;
  parent_entity_ref: string | null;
  parent_id: string | null;
  body: Json<string | RichTextDocument>;
  status: Generated<'active' | 'resolved'>;
}

export interface WorkflowDefinitionsTable extends VersionedColumns {
  space_id: string;
  environment_id: string;
  id: string;
  name: string;
  description: string | null;
  applies_to: NullableJson<unknown[]>;
  steps: Json<WorkflowStepJson[]>;
  flow_type: 'no_restriction' | 'strict_neighbor';
  start_on_entity_creation: boolean;
}

/** A workflow definition's step as stored: its id is always set (generated when the client sent none). */
export interface WorkflowStepJson {
  id: string;
  name: string;
  description?: string;
  actions?: Record<string, unknown>[];
  annotations?: string[];
  permissions?: WorkflowStepPermissionJson[];
  [property: string]: unknown;
}

export interface WorkflowStepPermissionJson {
  type: 'entity_permission' | 'workflow_permission';
  configuration: {
    actors: 'all' | { sys: { type: 'Link'; linkType: 'User' | 'Team'; id: string } }[];
    action: 'edit' | 'publish' | 'delete';
    effect: 'allow' | 'deny';
  };
}

export interface WorkflowsTable extends VersionedColumns {
  space_id: string;
  environment_id: string;
  id: string;
  entity_id: string;
  definition_id: string;
  step_id: string;
  completed_by: string | null;
  completed_at: NullableTimestamp;
}

export interface WorkflowsChangelogTable {
  seq: Generated<number>;
  space_id: string;
  environment_id: string;
  entity_id: string;
  workflow_id: string;
  workflow_version: number;
  definition_id: string;
  event: 'created' | 'stepChanged' | 'completed' | 'deleted';
  event_by: string | null;
  event_at: Timestamp;
  step_id: string;
  step_name: string;
  step_annotations: Json<string[]>;
}

/** A taxonomy concept's labels, notes and notations per locale, as the API shows them (`TaxonomyConcept`). */
export interface ConceptContent {
  uri: string | null;
  prefLabel: Record<string, string>;
  altLabels: Record<string, string[]>;
  hiddenLabels: Record<string, string[]>;
  definition: Record<string, string> | null;
  editorialNote: Record<string, string> | null;
  historyNote: Record<string, string> | null;
  example: Record<string, string> | null;
  note: Record<string, string> | null;
  scopeNote: Record<string, string> | null;
  changeNote: Record<string, string> | null;
  notations: string[];
}

export interface TaxonomyConceptsTable extends VersionedColumns {
  organization_id: string;
  id: string;
  pref_label: string;
  content: Json<ConceptContent>;
  broader: ColumnType<string[], string[] | undefined, string[]>;
  related: ColumnType<string[], string[] | undefined, string[]>;
}

/** A concept scheme's own properties (`TaxonomyConceptScheme`). */
export interface ConceptSchemeContent {
  uri: string | null;
  prefLabel: Record<string, string>;
  definition: Record<string, string> | null;
}

export interface TaxonomyConceptSchemesTable extends VersionedColumns {
  organization_id: string;
  id: string;
  pref_label: string;
  content: Json<ConceptSchemeContent>;
  top_concepts: ColumnType<string[], string[] | undefined, string[]>;
  concepts: ColumnType<string[], string[] | undefined, string[]>;
}

export interface DB {
  organizations: OrganizationsTable;
  users: UsersTable;
  organization_memberships: OrganizationMembershipsTable;
  personal_access_tokens: PersonalAccessTokensTable;
  user_passwords: UserPasswordsTable;
  spaces: SpacesTable;
  space_memberships: SpaceMembershipsTable;
  environments: EnvironmentsTable;
  locales: LocalesTable;
  events: EventsTable;
  entries: EntriesTable;
  assets: AssetsTable;
  published_search: PublishedSearchTable;
  content_types: ContentTypesTable;
  editor_interfaces: EditorInterfacesTable;
  extensions: ExtensionsTable;
  snapshots: SnapshotsTable;
  uploads: UploadsTable;
  environment_aliases: EnvironmentAliasesTable;
  tags: TagsTable;
  api_keys: ApiKeysTable;
  webhook_definitions: WebhookDefinitionsTable;
  webhook_calls: WebhookCallsTable;
  webhook_dispatch_cursor: { id: number; last_seq: number; last_xid: string };
  webhook_signing_secrets: WebhookSigningSecretsTable;
  webhook_retry_policies: WebhookRetryPoliciesTable;
  roles: RolesTable;
  teams: TeamsTable;
  team_memberships: TeamMembershipsTable;
  team_space_memberships: TeamSpaceMembershipsTable;
  organization_invitations: OrganizationInvitationsTable;
  scheduled_actions: ScheduledActionsTable;
  bulk_actions: BulkActionsTable;
  releases: ReleasesTable;
  release_actions: ReleaseActionsTable;
  release_versions: ReleaseVersionsTable;
  workflow_definitions: WorkflowDefinitionsTable;
  workflows: WorkflowsTable;
  workflows_changelog: WorkflowsChangelogTable;
  tasks: TasksTable;
  comments: CommentsTable;
  taxonomy_concepts: TaxonomyConceptsTable;
  taxonomy_concept_schemes: TaxonomyConceptSchemesTable;
}

export type OrganizationRow = Selectable<OrganizationsTable>;
export type UserRow = Selectable<UsersTable>;
export type PersonalAccessTokenRow = Selectable<PersonalAccessTokensTable>;
export type SpaceRow = Selectable<SpacesTable>;
export type EnvironmentRow = Selectable<EnvironmentsTable>;
export type LocaleRow = Selectable<LocalesTable>;
export type EntryRow = Selectable<EntriesTable>;
export type AssetRow = Selectable<AssetsTable>;
export type ContentTypeRow = Selectable<ContentTypesTable>;
export type EditorInterfaceRow = Selectable<EditorInterfacesTable>;
export type EnvironmentAliasRow = Selectable<EnvironmentAliasesTable>;
export type TagRow = Selectable<TagsTable>;
export type ScheduledActionRow = Selectable<ScheduledActionsTable>;
export type BulkActionRow = Selectable<BulkActionsTable>;
export type ReleaseRow = Selectable<ReleasesTable>;
export type ReleaseActionRow = Selectable<ReleaseActionsTable>;
export type ReleaseVersionRow = Selectable<ReleaseVersionsTable>;
export type WorkflowDefinitionRow = Selectable<WorkflowDefinitionsTable>;
export type WorkflowRow = Selectable<WorkflowsTable>;
export type WorkflowsChangelogRow = Selectable<WorkflowsChangelogTable>;
export type TaskRow = Selectable<TasksTable>;
export type CommentRow = Selectable<CommentsTable>;
export type ConceptRow = Selectable<TaxonomyConceptsTable>;
export type ConceptSchemeRow = Selectable<TaxonomyConceptSchemesTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type WebhookDefinitionRow = Selectable<WebhookDefinitionsTable>;
export type WebhookCallRow = Selectable<WebhookCallsTable>;
export type WebhookSigningSecretRow = Selectable<WebhookSigningSecretsTable>;
export type WebhookRetryPolicyRow = Selectable<WebhookRetryPoliciesTable>;
export type RoleRow = Selectable<RolesTable>;
export type SpaceMembershipRow = Selectable<SpaceMembershipsTable>;
export type TeamRow = Selectable<TeamsTable>;
export type TeamMembershipRow = Selectable<TeamMembershipsTable>;
export type TeamSpaceMembershipRow = Selectable<TeamSpaceMembershipsTable>;
export type OrganizationInvitationRow = Selectable<OrganizationInvitationsTable>;
export type UploadRow = Selectable<UploadsTable>;
export type ExtensionRow = Selectable<ExtensionsTable>;
