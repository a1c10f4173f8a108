'use client';

import type { ReplicatorState } from '@/lib/api-types';
import { useLinkState, type LinkState } from '@/lib/live';
import { useReplicatorState } from '@/lib/queries';

import { Dot, type Tone } from '../ui/badge';
import { HintText } from '../ui/hint-text';

interface Shown {
  tone: Tone;
  label: string;
  detail?: string;
  hint?: string | null;
}

/**
 * Whether the replicator can be reached, on every page. A lost dashboard connection wins:
 * then nothing said about the replicator is current.
 */
export function ReplicatorStatus({ replicatorId }: { replicatorId: string }) {
  const link = useLinkState();
  const { data: state, error } = useReplicatorState(replicatorId);
  const shown = describe(link, state, error);
  const wide = shown.detail !== undefined;

  return (
    <div role="status" className={wide ? WIDE : 'ml-auto'}>
      <span className={`${PILL} ${PILL_TONES[shown.tone]}`}>
        <Dot tone={shown.tone} />
        <span className="font-normal text-zinc-500">{replicatorId}</span>{' '}
        <span>{shown.label}</span>
        {shown.detail !== undefined && <span className="font-normal"> {shown.detail}</span>}
      </span>
      {shown.hint != null && (
        <p className="mt-1 text-xs text-red-900">
          <HintText text={shown.hint} />
        </p>
      )}
    </div>
  );
}

function describe(
  link: LinkState,
  state: ReplicatorState | undefined,
  error: Error | null,
): Shown {
  if (link === 'reconnecting' || error !== null) {
    return { tone: 'amber', label: 'dashboard server unreachable, reconnecting…' };
  }
  if (state === undefined) return { tone: 'neutral', label: 'connecting…' };
  if (state.connected) return { tone: 'green', label: 'connected' };
  if (state.error === null) return { tone: 'neutral', label: 'connecting to replicator…' };

  const { message, hint } = state.error;
  return { tone: 'red', label: 'unreachable:', detail: message, hint };
}

const WIDE = 'order-last basis-full rounded-md border border-red-200 bg-red-50 px-3 py-2';

const PILL =
  'inline-flex flex-wrap items-center gap-1.5 rounded-full border px-2.5 py-0.5 text-xs ' +
  'font-semibold';

const PILL_TONES: Record<Tone, string> = {
  neutral: 'border-zinc-300 bg-zinc-50 text-zinc-600',
  green: 'border-emerald-300 bg-emerald-50 text-emerald-800',
  red: 'border-red-300 bg-white text-red-800',
  amber: 'border-amber-400 bg-amber-50 text-amber-900',
  blue: 'border-sky-300 bg-sky-50 text-sky-800',
};
