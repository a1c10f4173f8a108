import type { Overview } from '@/lib/api-types';
import { formatCount } from '@/lib/format';

type Counter = Exclude<keyof Overview, 'at'>;

/** The seven counters of `doveadm replicator status`, with what each one means. */
const COUNTERS: { key: Counter; label: string; help: string; alarm?: boolean }[] = [
  { key: 'queuedSync', label: 'Queued sync requests', help: 'Waiting for a sync (priority sync)' },
  { key: 'queuedHigh', label: 'Queued high requests', help: 'Waiting at high priority' },
  { key: 'queuedLow', label: 'Queued low requests', help: 'Waiting at low priority' },
  {
    key: 'queuedFailed',
    label: 'Queued failed requests',
    help: 'Queued again after a failed sync',
    alarm: true,
  },
  {
    key: 'queuedFullResync',
    label: 'Queued full resync requests',
    help: 'Waiting for a full sync',
  },
  {
    key: 'waitingFailed',
    label: 'Waiting failed requests',
    help: 'Failed, waiting before the next try',
    alarm: true,
  },
  { key: 'totalUsers', label: 'Total users', help: 'Users the replicator knows' },
];

const CARD = 'flex flex-col justify-between rounded-md border px-3 py-2.5';
const GRID = 'grid grid-cols-2 gap-3 sm:grid-cols-4 xl:grid-cols-7';

export function CounterCards({ overview }: { overview: Overview | undefined }) {
  return (
    <ul aria-label="Queue counters" className={GRID}>
      {COUNTERS.map((counter) => (
        <CounterCard
          key={counter.key}
          label={counter.label}
          help={counter.help}
          alarm={counter.alarm}
          value={overview?.[counter.key]}
        />
      ))}
    </ul>
  );
}

function CounterCard({ label, help, value, alarm = false }: {
  label: string;
  help: string;
  value: number | undefined;
  alarm?: boolean;
}) {
  const hot = alarm && value !== undefined && value > 0;
  const frame = hot ? 'border-red-300 bg-red-50' : 'border-zinc-200 bg-white';

  return (
    <li className={`${CARD} ${frame}`} title={help}>
      <p className="text-xs font-medium text-zinc-500">{label}</p>
      <p className={`mt-1 text-2xl font-semibold tabular-nums ${hot ? 'text-red-700' : ''}`}>
        {value === undefined ? <span className="text-zinc-300">–</span> : formatCount(value)}
      </p>
    </li>
  );
}
