/**
 * The Content-Security-Policy of the pages. Scripts run only with this response's nonce
 * (Next.js puts it on its own scripts, inline ones included, when it finds the policy on the
 * request); 'strict-dynamic' lets those load the page's chunks. Styles allow 'unsafe-inline':
 * React renders `style` attributes (the virtual rows' offsets, the history chart), which a
 * nonce cannot cover; injected CSS cannot run script. Framing is refused outright.
 */

/** The policy for one page response with `nonce`; development adds 'unsafe-eval' (React). */
export function pagePolicy(nonce: string, development = false): string {
  const eval_ = development ? " 'unsafe-eval'" : '';
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${eval_}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** For answers that are not pages (JSON, metrics): nothing may load, nothing may frame. */
export const NON_PAGE_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** A fresh nonce: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}
