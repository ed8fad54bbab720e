import type { Link } from '../../../api/cma';
import type { SpaceUser } from '../../../api/collaboration';

export function displayName(user: SpaceUser): string {
  return [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email || user.sys.id;
}

/** The space's members by id, loaded once for the sidebar, so tasks and comments name people without a request each. */
export class People {
  private readonly byId: Map<string, SpaceUser>;

  constructor(readonly members: SpaceUser[]) {
    this.byId = new Map(members.map((user) => [user.sys.id, user]));
  }

  /** The name of a user (someone no longer in the space by id) or a team. */
  name(link: Link | undefined): string {
    if (!link) return 'Someone';
    if (link.sys.linkType === 'Team') return `Team ${link.sys.id}`;
    const user = this.byId.get(link.sys.id);
    return user ? displayName(user) : `User ${link.sys.id}`;
  }
}
