import path from 'node:path';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { OrganizationAccessPolicy } from './auth/organization-access.js';
import { SpaceAccessPolicy } from './auth/space-access.js';
import { WriteNotices } from './cache/changes.js';
import { listeningClient, PostgresChangeNotifier } from './cache/pg-notifier.js';
import type { Config } from './config.js';
import type { Database } from './db/connection.js';
import { EnvironmentScopeResolver } from './resources/environments/scope.js';
import { ContentTypeService } from './resources/content-types/service.js';
import { EditorInterfaceService } from './resources/editor-interfaces/service.js';
import { SnapshotService } from './resources/snapshots/service.js';
import { EntryService } from './resources/entries/service.js';
import { AssetService } from './resources/assets/service.js';
import { UploadService } from './resources/uploads/service.js';
import { FilesystemBlobStore } from './storage/filesystem-store.js';
import { S3BlobStore } from './storage/s3-store.js';
import { ImageVariants } from './images/variants.js';
import { type Clock, systemClock } from './domain/clock.js';
import { type Metrics, noMetrics } from './domain/metrics.js';
import { WorkPool } from './domain/work-pool.js';
import { ScheduledActionService } from './resources/scheduled-actions/service.js';
import { BulkActionService } from './resources/bulk-actions/service.js';
import { ReleaseService } from './resources/releases/service.js';
import { ReleaseVersionService } from './resources/releases/versions.js';
import { GraphRepository } from './graphql/repository.js';
import { GraphQLService } from './graphql/service.js';
import { EnvironmentAliasService } from './resources/environment-aliases/service.js';
import { EnvironmentService } from './resources/environments/service.js';
import { LocaleService } from './resources/locales/service.js';
import { ExtensionService } from './resources/extensions/service.js';
import { PublishableSearch } from './resources/publishable/search.js';
import { TagService } from './resources/tags/service.js';
import { ApiKeyService } from './resources/api-keys/service.js';
import { SecretBox } from './auth/secret-box.js';
import { DeliveryMetadata } from './delivery/metadata.js';
import { DeliveryRenditions } from './delivery/renditions.js';
import { ParsedFields } from './graphql/parsed-fields.js';
import { EntriesKeptForWrite } from './resources/entries/kept-for-write.js';
import { DeliveryResponses } from './delivery/responses.js';
import { DeliveryRepository } from './delivery/repository.js';
import { DeliveryService } from './delivery/service.js';
import { SyncService } from './delivery/sync.js';
import { WebhookService } from './resources/webhooks/service.js';
import { WebhookSettingsService } from './resources/webhooks/settings.js';
import { WebhookWorker } from './events/webhook-worker.js';
import { OutboundClient } from './outbound/client.js';
import { RoleService } from './resources/roles/service.js';
import { SpaceMembershipService } from './resources/space-memberships/service.js';
import { OrganizationMembershipService } from './resources/organizations/memberships.js';
import { AccessTokenService } from './resources/access-tokens/service.js';
import { OrganizationService } from './resources/organizations/service.js';
import { SpaceService } from './resources/spaces/service.js';
import { UserService } from './resources/users/service.js';
import { TeamService } from './resources/teams/service.js';
import { TeamMembershipService } from './resources/teams/memberships.js';
import { TeamSpaceMembershipService } from './resources/team-space-memberships/service.js';
import { SpaceMemberService } from './resources/space-members/service.js';
import { InvitationService } from './resources/invitations/service.js';
import { WorkflowDefinitionService } from './resources/workflow-definitions/service.js';
import { WorkflowService } from './resources/workflows/service.js';
import { TaskService } from './resources/tasks/service.js';
import { CommentService } from './resources/comments/service.js';
import { TaxonomyService } from './resources/taxonomy/service.js';
import { SessionService } from './resources/sessions/service.js';

/** Connections one environment copy writes on at once on PostgreSQL (the embedded database has one). */
const ENVIRONMENT_COPY_CONNECTIONS = 2;

/** Every service, built once per process over one database handle. */
export function createServices(
  database: Database,
  config: Config,
  logger: Logger,
  clock: Clock = systemClock,
  metrics: Metrics = noMetrics,
) {
  const { db } = database;
  const notices = new WriteNotices();
  const spaceAccess = new SpaceAccessPolicy(db);
  const organizationAccess = new OrganizationAccessPolicy(db);
  const teams = new TeamService(db, organizationAccess, spaceAccess, notices);
  const accessTokens = new AccessTokenService(db, notices, config.accessCacheTtlMs, clock, metrics);
  const sessions = new SessionService(db, accessTokens, config.signIn.sessionTtlSeconds);
  // A cluster shares its files through an S3-compatible bucket; one process can keep them on its disk.
  const blobs = config.s3 ? new S3BlobStore(config.s3) : new FilesystemBlobStore(path.join(config.dataDir, 'files'));
  const uploads = new UploadService(db, blobs, spaceAccess, config.uploadLimitBytes, notices, metrics);
  const images = new ImageVariants(blobs, config.images, metrics);
  const organizations = new OrganizationService(db, notices);
  const editorInterfaces = new EditorInterfaceService(db, notices);
  const contentTypes = new ContentTypeService(db, editorInterfaces, notices);
  const search = new PublishableSearch(db, contentTypes);
  const secrets = SecretBox.fromConfig(config.secretKey, config.dataDir);
  const apiKeys = new ApiKeyService(db, spaceAccess, secrets, notices);
  // Delivery, preview, GraphQL and sync read from the replica when there is one; management reads its writes on the primary.
  const deliveryDb = database.replica ?? db;
  const deliverySearch = database.replica ? new PublishableSearch(deliveryDb, contentTypes) : search;
  const deliveryRows = new DeliveryRepository(deliveryDb);
  const delivery = new DeliveryService(
    deliveryRows,
    deliverySearch,
    new DeliveryMetadata(deliveryDb, deliveryRows, apiKeys, contentTypes, config.deliveryCacheTtlMs, metrics),
    new DeliveryResponses(config.deliveryCacheTtlMs, config.deliveryResponseCacheBytes, metrics),
    new DeliveryRenditions(config.deliveryRenditionCacheBytes, metrics),
  );
  const environmentScopes = new EnvironmentScopeResolver(db, spaceAccess, config.accessCacheTtlMs, metrics);
  const roles = new RoleService(db, spaceAccess, organizationAccess, notices);
  const workflowDefinitions = new WorkflowDefinitionService(db, notices);
  // Publishing an entry asks its workflows whether their current steps allow it.
  const workflows = new WorkflowService(db, workflowDefinitions);
  const entries = new EntryService(db, contentTypes, search, notices, workflows, new EntriesKeptForWrite(config.accessCacheTtlMs, metrics));
  // One client for every request the server makes on a user's behalf (asset URLs, webhooks).
  const outbound = new OutboundClient({ allowPrivateNetworks: config.outboundAllowPrivateNetworks });
  const assets = new AssetService(db, blobs, uploads, config, logger, search, outbound, notices, images);
  const releases = new ReleaseService(db, environmentScopes, entries, assets, clock, logger, config.schedulerPollMs);
  // A committed write forgets what it may have made stale, so its writer reads it back: kept delivery
  // answers after any write; the lookups requests start with (tokens, access, keys, environments, locales,
  // tags, content types, ...) after a write to anything but content.
  notices.subscribe((kind) => {
    delivery.responses.clear();
    if (kind === 'content') return;
    delivery.metadata.clear();
    accessTokens.forget();
    environmentScopes.forget();
  });
  // Server processes on one PostgreSQL tell each other their writes; the embedded database has a single process.
  const databaseUrl = database.kind === 'postgres' ? config.databaseUrl : undefined;
  const changeNotifier = databaseUrl
    ? new PostgresChangeNotifier({
        openConnection: () => listeningClient(databaseUrl),
        send: async (channel, payload) => {
          await sql`select pg_notify(${channel}, ${payload})`.execute(db);
        },
        notices,
        logger,
      })
    : undefined;
  return {
    config,
    notices,
    changeNotifier,
    db,
    spaceAccess,
    environmentScopes,
    organizations,
    organizationMemberships: new OrganizationMembershipService(db, organizationAccess, notices),
    teams,
    teamMemberships: new TeamMembershipService(db, organizationAccess, teams, notices),
    teamSpaceMemberships: new TeamSpaceMembershipService(db, spaceAccess, organizationAccess, roles, notices),
    spaceMembers: new SpaceMemberService(db, spaceAccess),
    invitations: new InvitationService(db, organizationAccess, accessTokens, sessions, notices, config.publicUrl),
    users: new UserService(db, notices),
    sessions,
    accessTokens,
    spaces: new SpaceService(db, spaceAccess, organizations, notices),
    environments: new EnvironmentService(db, spaceAccess, logger, database.kind === 'postgres' ? ENVIRONMENT_COPY_CONNECTIONS : 1, notices),
    environmentAliases: new EnvironmentAliasService(db, spaceAccess, notices),
    locales: new LocaleService(db, notices),
    extensions: new ExtensionService(db, notices),
    tags: new TagService(db, notices),
    apiKeys,
    secrets,
    sync: new SyncService(deliveryDb, deliveryRows, delivery, secrets, config),
    webhooks: new WebhookService(db, spaceAccess, secrets, notices),
    webhookSettings: new WebhookSettingsService(db, spaceAccess, secrets),
    roles,
    spaceMemberships: new SpaceMembershipService(db, spaceAccess, organizationAccess, roles, notices),
    webhookWorker: new WebhookWorker(db, secrets, logger, { ...config.webhooks, outbound, metrics }),
    editorInterfaces,
    contentTypes,
    entries,
    delivery,
    snapshots: new SnapshotService(db, entries),
    graphql: new GraphQLService(
      delivery,
      deliverySearch,
      new GraphRepository(deliveryDb),
      new ParsedFields(config.graphqlFieldsCacheBytes, metrics),
      new WorkPool(
        config.graphqlExecutions.concurrency,
        config.graphqlExecutions.queueLimit,
        'Too many GraphQL queries are being answered; retry shortly',
      ),
      logger,
    ),
    outbound,
    blobs,
    images,
    uploads,
    assets,
    scheduledActions: new ScheduledActionService(
      db,
      environmentScopes,
      entries,
      assets,
      releases,
      clock,
      logger,
      config.schedulerPollMs,
      metrics,
    ),
    bulkActions: new BulkActionService(db, environmentScopes, entries, assets, clock, logger, config.schedulerPollMs),
    releases,
    releaseVersions: new ReleaseVersionService(releases, entries, assets, clock, db),
    workflowDefinitions,
    workflows,
    tasks: new TaskService(db, entries),
    comments: new CommentService(db, entries, contentTypes),
    taxonomy: new TaxonomyService(db, organizationAccess, notices),
  };
}

export type Services = ReturnType<typeof createServices>;
