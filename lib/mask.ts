/** Dovecot masks: `*` any run of bytes, `?` one byte; anything else matches itself. */
export function isWildcardMask(mask: string): boolean {
  return mask.includes('*') || mask.includes('?');
}
