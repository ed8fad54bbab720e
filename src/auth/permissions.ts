import { accessDenied } from '../domain/errors.js';
import { PERMISSION_AREAS, type PermissionArea, type RolePermissions, type RolePolicy } from '../domain/roles.js';
import { ContentPolicy } from './content-policy.js';

export type PermissionLevel = 'read' | 'manage';

/** The part of a role that grants access: what `roles.permissions` and `roles.policies` hold. */
export interface RoleGrant {
  permissions: RolePermissions;
  policies: RolePolicy[];
}

const AREA_NAMES: Record<PermissionArea, string> = {
  ContentModel: 'the content model',
  ContentDelivery: 'API keys',
  Environments: 'environments',
  EnvironmentAliases: 'environment aliases',
  Settings: 'space settings',
  Tags: 'tags',
};

/**
 * What a user may do in one space: everything as a space admin (or organization owner/admin), otherwise
 * the union of their roles' permissions (seed 000, "Roles": `["read"]`, `["manage"]` or `"all"` per area,
 * manage implying read) and policies (evaluated by ContentPolicy).
 */
export class SpacePermissions {
  private constructor(
    readonly admin: boolean,
    private readonly levels: ReadonlyMap<PermissionArea, PermissionLevel>,
    readonly content: ContentPolicy,
  ) {}

  static readonly administrator = new SpacePermissions(true, new Map(), ContentPolicy.unrestricted);

  /** Outside `master`, content-level rules do not apply to members allowed to use environments (seed 000). */
  private static readonly sandboxUser = new SpacePermissions(
    false,
    new Map(PERMISSION_AREAS.map((area) => [area, 'manage'])),
    ContentPolicy.unrestricted,
  );

  static fromRoles(roles: readonly RoleGrant[], userId: string): SpacePermissions {
    const levels = new Map<PermissionArea, PermissionLevel>();
    for (const role of roles) {
      for (const [area, value] of Object.entries(role.permissions) as [PermissionArea, RolePermissions[PermissionArea]][]) {
        const level: PermissionLevel | undefined =
          value === 'all' || value?.includes('manage') ? 'manage' : value?.includes('read') ? 'read' : undefined;
        if (level && levels.get(area) !== 'manage') levels.set(area, level);
      }
    }
    return new SpacePermissions(
      false,
      levels,
      new ContentPolicy(
        roles.flatMap((r) => r.policies),
        userId,
      ),
    );
  }

  /**
   * What the member may do inside one environment: `master` (or the `master` alias) follows the roles;
   * other environments are open to members with the Environments permission and closed to everyone else
   * (undefined).
   */
  inEnvironment(isMaster: boolean): SpacePermissions | undefined {
    if (this.admin || isMaster) return this;
    return this.allows('Environments', 'manage') ? SpacePermissions.sandboxUser : undefined;
  }

  allows(area: PermissionArea, level: PermissionLevel): boolean {
    if (this.admin) return true;
    const granted = this.levels.get(area);
    return granted === 'manage' || (granted === 'read' && level === 'read');
  }

  require(area: PermissionArea, level: PermissionLevel): void {
    if (!this.allows(area, level))
      throw accessDenied(`Your role does not allow you to ${level === 'read' ? 'read' : 'manage'} ${AREA_NAMES[area]}`);
  }

  requireAdmin(): void {
    if (!this.admin) throw accessDenied('Only space administrators can do this');
  }
}
