/**
 * What the dashboard believes from a reverse proxy: the client's address and scheme
 * (X-Forwarded-For, X-Forwarded-Proto) and, behind an SSO proxy, who the user is. Only
 * requests whose peer is one of AUTH_TRUSTED_PROXIES are believed.
 */
import { BlockList, isIP } from 'node:net';

import { isRole, type Role } from './policy';

/** The request as the auth code needs it, whatever the server framework. */
export interface RequestInfo {
  /** A header's value, or undefined; names are case-insensitive. */
  header(name: string): string | undefined;
  /** The address of the TCP peer: the client, or the proxy in front of the dashboard. */
  peer: string;
}

/** AUTH_TRUSTED_PROXIES: the peers whose forwarding headers are believed. */
export class TrustedProxies {
  private readonly list = new BlockList();
  private readonly empty: boolean;

  /** From a comma- or space-separated list of addresses and CIDRs; throws on a bad one. */
  constructor(text: string) {
    const entries = text.split(/[\s,]+/).filter((entry) => entry !== '');
    this.empty = entries.length === 0;
    for (const entry of entries) this.add(entry);
  }

  has(address: string): boolean {
    if (this.empty) return false;
    const plain = unmapped(address);
    const family = isIP(plain) === 6 ? 'ipv6' : 'ipv4';
    return isIP(plain) !== 0 && this.list.check(plain, family);
  }

  private add(entry: string): void {
    const [address = '', prefixText] = entry.split('/');
    const version = isIP(address);
    if (version === 0) throw new Error(`AUTH_TRUSTED_PROXIES: not an address: ${entry}`);

    const family = version === 6 ? 'ipv6' : 'ipv4';
    if (prefixText === undefined) return void this.list.addAddress(address, family);
    const prefix = Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > (version === 6 ? 128 : 32)) {
      throw new Error(`AUTH_TRUSTED_PROXIES: bad prefix length: ${entry}`);
    }
    this.list.addSubnet(address, prefix, family);
  }
}

/** `::ffff:127.0.0.1` (an IPv4 client on a dual-stack socket) is 127.0.0.1. */
export function unmapped(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4
    ? address.slice(7)
    : address;
}

/**
 * The client's address: the peer, or behind trusted proxies the right-most X-Forwarded-For
 * entry that is not itself a trusted proxy (the entries left of it are the client's to say).
 */
export function clientAddress(info: RequestInfo, trusted: TrustedProxies): string {
  let address = unmapped(info.peer);
  if (!trusted.has(address)) return address;

  const hops = (info.header('x-forwarded-for') ?? '').split(',').map((hop) => hop.trim());
  for (const hop of hops.reverse()) {
    if (isIP(unmapped(hop)) === 0) break;
    address = unmapped(hop);
    if (!trusted.has(address)) break;
  }
  return address;
}

/** Whether the browser reached the dashboard over https (as a trusted proxy says). */
export function isHttps(info: RequestInfo, trusted: TrustedProxies): boolean {
  if (!trusted.has(info.peer)) return false;
  const proto = info.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return proto === 'https';
}

/** One entry of AUTH_PROXY_ROLES: a user name or a `group:` name, the role it gets. */
export interface ProxyRoleRule {
  subject: { kind: 'user' | 'group'; name: string };
  role: Role;
  domains: string[] | null;
}

/**
 * Parses AUTH_PROXY_ROLES: comma-separated `NAME=ROLE` or `group:GROUP=ROLE`, where ROLE may
 * be followed by `:DOMAIN+DOMAIN` to limit it to those domains, e.g.
 * `alice=operator,group:helpdesk=helpdesk,group:desk-nl=helpdesk:example.nl+example.be`.
 * The first rule that names the user or one of its groups wins. Throws on a bad entry.
 */
export function parseProxyRoles(text: string): ProxyRoleRule[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map(parseRule);
}

function parseRule(entry: string): ProxyRoleRule {
  const equals = entry.lastIndexOf('=');
  const who = entry.slice(0, equals).trim();
  const [role, domainText] = entry.slice(equals + 1).trim().split(':');
  if (equals <= 0 || who === '' || !isRole(role)) {
    throw new Error(`AUTH_PROXY_ROLES: expected NAME=ROLE or group:NAME=ROLE, got ${entry}`);
  }

  const group = who.startsWith('group:');
  const name = group ? who.slice('group:'.length) : who;
  const domains = domainText === undefined ? null : parseDomainList(domainText, '+');
  return { subject: { kind: group ? 'group' : 'user', name }, role, domains };
}

/** A list of domains, lowercased; throws when it is empty or holds a wildcard. */
export function parseDomainList(text: string, separator: string): string[] {
  const domains = text.split(separator).map((d) => d.trim().toLowerCase()).filter(Boolean);
  if (domains.length === 0 || domains.some((d) => /[*?@\s]/.test(d))) {
    throw new Error(`bad domain list: ${text}`);
  }
  return domains;
}

/** The rule for a proxied user, or undefined when none names it or its groups. */
export function proxyRoleFor(
  rules: readonly ProxyRoleRule[],
  user: string,
  groups: readonly string[],
): ProxyRoleRule | undefined {
  return rules.find(({ subject }) =>
    subject.kind === 'user' ? subject.name === user : groups.includes(subject.name),
  );
}
