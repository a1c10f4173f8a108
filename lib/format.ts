/**
 * How times and counts read in the dashboard: compact relative times for scanning a table,
 * exact times for the tooltip, and grouped numbers.
 */

const UNITS = [
  { limit: 60, divisor: 1, unit: 's' },
  { limit: 3600, divisor: 60, unit: 'min' },
  { limit: 86_400, divisor: 3600, unit: 'h' },
  { limit: Infinity, divisor: 86_400, unit: 'd' },
] as const;

/**
 * Within this many seconds, either way, a time reads "just now": the poll interval and the
 * page clock's few-second tick blur anything finer (a sync may even seem a second ahead).
 */
const JUST_NOW_SECONDS = 10;

const numberFormat = new Intl.NumberFormat('en');

/** "3 min ago", "just now", "in 5 min", or "never" for null. */
export function relativeTime(iso: string | null, now: number): string {
  if (iso === null) return 'never';
  return relativeSeconds((Date.parse(iso) - now) / 1000);
}

/** A signed distance in seconds from now, as relativeTime words it. */
export function relativeSeconds(seconds: number): string {
  const distance = Math.abs(seconds);
  if (distance < JUST_NOW_SECONDS) return 'just now';

  const { divisor, unit } = UNITS.find((u) => distance < u.limit) ?? UNITS[3];
  const amount = `${Math.floor(distance / divisor)} ${unit}`;
  return seconds < 0 ? `${amount} ago` : `in ${amount}`;
}

/** "2026-12-03 13:50:36 CET": the browser's local time, unambiguous in any locale. */
const localFormat = new Intl.DateTimeFormat('sv-SE', {
  dateStyle: 'short',
  timeStyle: 'long',
});

/** The local time with its zone, then the ISO string: what a ticket needs. */
export function exactTime(iso: string): string {
  return `${localFormat.format(new Date(iso))} (${iso})`;
}

/** 2345 -> "2,345". */
export function formatCount(n: number): string {
  return numberFormat.format(n);
}

/** "1 user", "12 users". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}


/**
 * A mask or username as it can be shown: control characters (legal in a mask, and sent to
 * the replicator escaped) become their Unicode control pictures, TAB as ␉ and LF as ␊,
 * instead of being invisible or breaking the line.
 */
export function visibleControls(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => {
    const code = c.charCodeAt(0);
    return String.fromCharCode(code === 0x7f ? 0x2421 : 0x2400 + code);
  });
}
