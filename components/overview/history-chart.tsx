'use client';

import { useState } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

import type { HistoryRange, Overview } from '@/lib/api-types';
import { visibleControls } from '@/lib/format';
import { useHistory } from '@/lib/queries';

import { ErrorNotice } from '../ui/notice';
import { Panel } from '../ui/panel';

const RANGES: { range: HistoryRange; label: string }[] = [
  { range: '15m', label: '15 min' },
  { range: '1h', label: '1 h' },
  { range: '24h', label: '24 h' },
  { range: '7d', label: '7 days' },
];

const RANGE_MS: Record<HistoryRange, number> = {
  '15m': 15 * 60_000, '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000,
};

/** The series drawn: queued requests by priority, and failed ones (queued or waiting). */
const SERIES: { key: keyof ChartPoint; name: string; color: string }[] = [
  { key: 'sync', name: 'sync', color: '#7c3aed' },
  { key: 'high', name: 'high', color: '#dc2626' },
  { key: 'low', name: 'low', color: '#2563eb' },
  { key: 'failed', name: 'failed', color: '#b45309' },
];

interface ChartPoint {
  time: number;
  sync: number;
  high: number;
  low: number;
  failed: number;
}

function toChartPoint(point: Overview): ChartPoint {
  return {
    time: Date.parse(point.at),
    sync: point.queuedSync,
    high: point.queuedHigh,
    low: point.queuedLow,
    failed: point.queuedFailed + point.waitingFailed,
  };
}

/** How the queue moved: the dashboard's own record, since the replicator keeps none. */
export function HistoryChart({ replicatorId, marks = [] }: {
  replicatorId: string;
  /** Times (ms) to mark with a line, e.g. where jobs started. */
  marks?: { time: number; label: string }[];
}) {
  const [range, setRange] = useState<HistoryRange>('1h');
  const history = useHistory(replicatorId, range);
  const points = history.data?.points.map(toChartPoint) ?? [];
  // The whole chosen range, not just the stretch that has points: a young history would
  // otherwise stretch a minute over the whole width.
  const end = history.data === undefined ? Date.now() : Date.parse(history.data.at);
  const domain = [end - RANGE_MS[range], end];

  return (
    <Panel title="Queue history" aside={<RangePicker value={range} onChange={setRange} />}>
      {history.error !== null && <ErrorNotice title="No history" error={history.error} />}
      <div className="h-56 px-2 py-3" role="img" aria-label={`Queue history, last ${range}`}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={points}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e4e4e7" />
            <XAxis dataKey="time" type="number" scale="time" domain={domain}
              tickFormatter={(t: number) => timeLabel(t, range)} fontSize={11} />
            <YAxis allowDecimals={false} fontSize={11} width={40} />
            <Tooltip labelFormatter={(t) => new Date(Number(t)).toLocaleString()} />
            <Legend verticalAlign="top" height={24} iconType="plainline"
              wrapperStyle={{ fontSize: 11 }} />
            {SERIES.map((s) => (
              <Line key={s.key} dataKey={s.key} name={s.name} stroke={s.color}
                dot={false} isAnimationActive={false} strokeWidth={1.5} />
            ))}
            {labelledApart(marks, domain).map((m) => (
              <ReferenceLine key={`${m.time}-${m.label}`} x={m.time} stroke="#a1a1aa"
                strokeDasharray="4 2" label={m.shown && { value: m.label, fontSize: 10 }} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </Panel>
  );
}

/** Marks closer than this share of the width than the last labelled one get no label. */
const LABEL_SPACING = 1 / 8;

/**
 * Every mark keeps its line, but only marks far enough from the last labelled one keep
 * their label: jobs started close together would print their masks over each other.
 */
function labelledApart(marks: { time: number; label: string }[], [start, end]: number[]) {
  const spacing = (end! - start!) * LABEL_SPACING;
  let lastShown = -Infinity;
  return [...marks].sort((a, b) => a.time - b.time).map((mark) => {
    const shown = mark.time - lastShown >= spacing;
    if (shown) lastShown = mark.time;
    return { ...mark, label: visibleControls(mark.label), shown };
  });
}

function RangePicker({ value, onChange }: {
  value: HistoryRange;
  onChange: (range: HistoryRange) => void;
}) {
  return (
    <div role="group" aria-label="History range" className="flex gap-1 text-xs">
      {RANGES.map(({ range, label }) => (
        <button key={range} type="button" aria-pressed={value === range}
          onClick={() => onChange(range)}
          className="rounded px-2 py-0.5 aria-pressed:bg-zinc-800 aria-pressed:text-white">
          {label}
        </button>
      ))}
    </div>
  );
}

function timeLabel(time: number, range: HistoryRange): string {
  const date = new Date(time);
  if (range === '7d') {
    return date.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric' });
  }
  return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}
