/**
 * Who may do what: the role table of the dashboard and the domain limit of an account, as
 * pure functions. The server enforces them on every route and socket event; the pages use
 * the same functions to leave out the controls a role may not use.
 */

export const ROLES = ['viewer', 'helpdesk', 'operator'] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  | 'read'
  | 'replicate-user'
  | 'replicate-mask'
  | 'add'
  | 'remove'
  | 'audit-all'
  | 'see-addresses';

/** Overview, dsyncs, search and one's own audit rows are 'read'. */
const TABLE: Record<Permission, readonly Role[]> = {
  read: ['viewer', 'helpdesk', 'operator'],
  'replicate-user': ['helpdesk', 'operator'],
  'replicate-mask': ['operator'],
  add: ['operator'],
  remove: ['operator'],
  'audit-all': ['operator'],
  /** Socket paths, host:port and API URLs of the replicators. */
  'see-addresses': ['operator'],
};

/** Who is asking, as far as permissions go. `domains` null means every domain. */
export interface Principal {
  name: string;
  role: Role;
  domains: readonly string[] | null;
}

export type Decision = { ok: true } | { ok: false; message: string };

/** Whether a value (from a file, a flag, a header rule) names one of the roles. */
export function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value);
}

/** Whether the role table gives a role a permission. */
export function roleAllows(role: Role, permission: Permission): boolean {
  return TABLE[permission].includes(role);
}

/** A mask names one user when it has no wildcard; `*` and `?` are Dovecot's only two. */
export function isOneUser(mask: string): boolean {
  return !mask.includes('*') && !mask.includes('?');
}

/** What replicating this mask needs: one user is helpdesk work, a wildcard is not. */
export function replicatePermission(mask: string): Permission {
  return isOneUser(mask) ? 'replicate-user' : 'replicate-mask';
}

/**
 * The domain of a username or mask: the text after its last `@`, ASCII-lowercased (DNS
 * names are case-insensitive; other characters are kept, so no Unicode folding can turn
 * one domain into another). Null when there is no `@`.
 */
export function domainOf(name: string): string | null {
  const at = name.lastIndexOf('@');
  if (at < 0) return null;
  return name.slice(at + 1).replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** Whether a user (an exact name) belongs to one of the domains. */
export function inDomains(username: string, domains: readonly string[]): boolean {
  const domain = domainOf(username);
  return domain !== null && domains.includes(domain);
}

/** Whether a principal may see a user: always, unless limited to other domains. */
export function seesUser(principal: Principal, username: string): boolean {
  return principal.domains === null || inDomains(username, principal.domains);
}

/**
 * Whether every user a mask can match lies in the principal's domains. That holds only when
 * the text after the mask's last `@` is literal: then every match ends in `@` + that text,
 * which is also the text after the match's own last `@`.
 */
export function maskWithinDomains(principal: Principal, mask: string): boolean {
  if (principal.domains === null) return true;
  const domain = domainOf(mask);
  if (domain === null || !isOneUser(domain)) return false;
  return principal.domains.includes(domain);
}

/** May the principal do this, to this mask (when the action has one)? */
export function decide(principal: Principal, permission: Permission, mask?: string): Decision {
  if (!roleAllows(principal.role, permission)) {
    return { ok: false, message: `a ${principal.role} may not ${describe(permission)}` };
  }
  if (mask !== undefined && !maskWithinDomains(principal, mask)) {
    const domains = (principal.domains ?? []).join(', ');
    return { ok: false, message: `this mask may reach users outside ${domains}` };
  }
  return { ok: true };
}

const WORDS: Record<Permission, string> = {
  read: 'read the queue',
  'replicate-user': 'replicate a user',
  'replicate-mask': 'replicate a wildcard mask',
  add: 'add users',
  remove: 'remove users',
  'audit-all': "read other people's audit rows",
  'see-addresses': 'see where the replicators are reached',
};

function describe(permission: Permission): string {
  return WORDS[permission];
}
