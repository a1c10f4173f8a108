'use client';

import { startTransition, useOptimistic } from 'react';

import type { UsersFilter } from '@/lib/api-client';
import { PRIORITIES, type Priority } from '@/lib/api-types';

import { Field, Select } from '../actions/fields';

const HOUR = 3600;
const DAY = 24 * HOUR;

const STALE_CHOICES = [
  { seconds: HOUR, label: '1 h' },
  { seconds: DAY, label: '1 day' },
  { seconds: 2 * DAY, label: '2 days' },
  { seconds: 7 * DAY, label: '7 days' },
];

const BAR = 'flex flex-wrap items-end gap-x-5 gap-y-2 border-b border-zinc-200 px-4 py-2';

/**
 * The list's filters, applied by the server; each change goes into the URL like the mask.
 * The priority select is labelled "Queue": the replicate form beside it owns "Priority".
 */
export function UsersFilters({ filter: current, onChange }: {
  filter: UsersFilter;
  onChange: (next: UsersFilter) => void;
}) {
  // The URL changes in a transition: until it has, the controls show what was chosen.
  const [filter, setFilter] = useOptimistic(current);
  const change = (next: UsersFilter) =>
    startTransition(() => {
      setFilter(next);
      onChange(next);
    });

  return (
    <fieldset className={BAR}>
      <legend className="sr-only">Filters</legend>
      <FailedOnly
        checked={filter.failed === true}
        onChange={(checked) => change({ ...filter, failed: checked ? true : undefined })}
      />
      <PrioritySelect
        value={filter.priority}
        onChange={(priority) => change({ ...filter, priority })}
      />
      <StaleSelect
        value={filter.staleSeconds}
        onChange={(staleSeconds) => change({ ...filter, staleSeconds })}
      />
    </fieldset>
  );
}

function FailedOnly({ checked, onChange }: {
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label className="flex items-center gap-1.5 pb-1.5 text-sm text-zinc-700">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      Failed only
    </label>
  );
}

function PrioritySelect({ value, onChange }: {
  value: Priority | undefined;
  onChange: (priority: Priority | undefined) => void;
}) {
  return (
    <Field label="Queue">
      <Select
        value={value ?? ''}
        onChange={(e) => onChange(PRIORITIES.find((known) => known === e.target.value))}
      >
        <option value="">any</option>
        {PRIORITIES.map((priority) => (
          <option key={priority} value={priority}>{priority}</option>
        ))}
      </Select>
    </Field>
  );
}

function StaleSelect({ value, onChange }: {
  value: number | undefined;
  onChange: (seconds: number | undefined) => void;
}) {
  // A link may carry any number of seconds: it stays a choice rather than turning into "any".
  const custom = value !== undefined && !STALE_CHOICES.some((c) => c.seconds === value);
  return (
    <Field label="Not synced for more than">
      <Select
        value={value === undefined ? '' : String(value)}
        onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
      >
        <option value="">any</option>
        {STALE_CHOICES.map(({ seconds, label }) => (
          <option key={seconds} value={seconds}>{label}</option>
        ))}
        {custom && <option value={value}>{value} s</option>}
      </Select>
    </Field>
  );
}
