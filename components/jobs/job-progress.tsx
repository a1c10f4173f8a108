'use client';

import Link from 'next/link';

import type { JobSummary, JobUserState } from '@/lib/api-types';
import { useNow } from '@/lib/clock';
import { jobPath } from '@/lib/paths';

/** Each state's colour in the bar, in the order the bar fills. */
const SEGMENTS: { state: JobUserState; label: string; color: string }[] = [
  { state: 'done', label: 'done', color: 'bg-emerald-500' },
  { state: 'failed', label: 'failed', color: 'bg-red-500' },
  { state: 'gone', label: 'gone', color: 'bg-zinc-500' },
  { state: 'running', label: 'running', color: 'bg-sky-500' },
  { state: 'waiting', label: 'waiting', color: 'bg-zinc-200' },
];

/** How far a job got: a bar by state, the counts, the time taken and the time left. */
export function JobProgress({ job, link = true }: { job: JobSummary; link?: boolean }) {
  const over = job.counts.done + job.counts.failed + job.counts.gone;
  const percent = job.total === 0 ? 100 : Math.floor((over / job.total) * 100);

  return (
    <div className="flex flex-col gap-1 text-sm">
      <div className="flex items-baseline justify-between gap-3">
        <span className="font-medium">
          {link ? <Link className="underline" href={jobPath(job.replicator, job.id)}>Job</Link>
            : 'Job'}{' '}
          {job.state}: {percent} %{failures(job)}
        </span>
        <Timing job={job} />
      </div>
      <div role="progressbar" aria-label="Job progress" aria-valuemin={0} aria-valuemax={100}
        aria-valuenow={percent} className="flex h-2.5 overflow-hidden rounded bg-zinc-100">
        {SEGMENTS.map(({ state, color }) => (
          <div key={state} className={color}
            style={{ width: `${job.total === 0 ? 0 : (job.counts[state] / job.total) * 100}%` }} />
        ))}
      </div>
      <Counts job={job} />
    </div>
  );
}

/** What went wrong, said in words: a red sliver in the bar is easy to miss. */
function failures(job: JobSummary): string {
  const parts = [
    job.counts.failed > 0 ? `${job.counts.failed} failed` : null,
    job.counts.gone > 0 ? `${job.counts.gone} gone` : null,
  ].filter((part) => part !== null);
  return parts.length === 0 ? '' : `, ${parts.join(', ')}`;
}

function Counts({ job }: { job: JobSummary }) {
  return (
    <ul aria-label="Job counts" className="flex flex-wrap gap-x-3 text-xs text-zinc-600">
      {SEGMENTS.map(({ state, label, color }) => (
        <li key={state} className="flex items-center gap-1">
          <span className={`inline-block size-2 rounded-full ${color}`} />
          {job.counts[state].toLocaleString('en')} {label}
        </li>
      ))}
      <li>of {job.total.toLocaleString('en')}</li>
    </ul>
  );
}

function Timing({ job }: { job: JobSummary }) {
  // A running job's elapsed time counts in seconds, so its clock ticks every second.
  const now = useNow(job.finishedAt === null ? 1_000 : undefined);
  const end = job.finishedAt === null ? now : Date.parse(job.finishedAt);
  const elapsed = Math.max(0, (end - Date.parse(job.startedAt)) / 1000);
  const rate = job.perMinute === null ? null : `${job.perMinute.toFixed(1)}/min`;
  const left = job.etaSeconds === null ? null : `${duration(job.etaSeconds)} left`;

  return (
    <span className="text-xs tabular-nums text-zinc-500">
      {[duration(elapsed), rate, left].filter((part) => part !== null).join(' · ')}
    </span>
  );
}

/** "42 s", "3 min 5 s", "2 h 4 min". */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
