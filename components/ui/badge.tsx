import type { ReactNode } from 'react';

export type Tone = 'neutral' | 'green' | 'red' | 'amber' | 'blue';
/** Badge tones, plus one that must be seen at a glance in a long table. */
export type BadgeTone = Tone | 'alarm';

const BADGE = 'inline-flex items-center rounded border px-1.5 py-px text-xs font-medium';

const BADGE_TONES: Record<BadgeTone, string> = {
  neutral: 'border-zinc-300 bg-zinc-100 text-zinc-700',
  green: 'border-emerald-300 bg-emerald-50 text-emerald-800',
  red: 'border-red-300 bg-red-50 text-red-800',
  amber: 'border-amber-300 bg-amber-50 text-amber-900',
  blue: 'border-sky-300 bg-sky-50 text-sky-800',
  alarm: 'border-red-700 bg-red-600 text-white',
};

const DOT_TONES: Record<Tone, string> = {
  neutral: 'bg-zinc-400',
  green: 'bg-emerald-500',
  red: 'bg-red-500',
  amber: 'bg-amber-500',
  blue: 'bg-sky-500',
};

export function Badge({ tone = 'neutral', children }: { tone?: BadgeTone; children: ReactNode }) {
  return <span className={`${BADGE} ${BADGE_TONES[tone]}`}>{children}</span>;
}

/** A small filled circle, for states scanned from afar. */
export function Dot({ tone }: { tone: Tone }) {
  const classes = `inline-block size-2 shrink-0 rounded-full ${DOT_TONES[tone]}`;
  return <span aria-hidden="true" className={classes} />;
}
