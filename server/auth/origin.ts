/**
 * Cross-site request forgery guard: a state-changing request that a browser says comes from
 * another site (Fetch metadata), or whose Origin is not this dashboard, is refused even when
 * it carries a valid cookie. Scripts send neither header and pass.
 */
import type { RequestInfo } from './proxy';

/** `same-site` is refused too: a sibling subdomain is not this dashboard. */
const ALLOWED_FETCH_SITES = new Set(['same-origin', 'none']);

/**
 * Whether the request comes from another origin. `host` is the dashboard's host as the
 * browser sees it: the Host header, or X-Forwarded-Host from a trusted proxy.
 */
export function isCrossOrigin(info: RequestInfo, host: string | undefined): boolean {
  const site = info.header('sec-fetch-site')?.toLowerCase();
  if (site !== undefined && !ALLOWED_FETCH_SITES.has(site)) return true;

  const origin = info.header('origin');
  if (origin === undefined) return false;
  try {
    return host === undefined || new URL(origin).host !== host.toLowerCase();
  } catch {
    // `Origin: null` (a sandboxed frame, a file) or garbage: not this dashboard.
    return true;
  }
}
