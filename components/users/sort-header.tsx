import type { UserSortField } from '@/lib/api-types';

import { Th } from '../ui/table';

export interface SortState {
  sort: UserSortField;
  order: 'asc' | 'desc';
}

/**
 * A column header that sorts the list on the server. Clicking the sorted column flips the
 * order; another column starts ascending. aria-sort tells screen readers the current state.
 */
export function SortHeader({ field, label, state, onSort, className }: {
  field: UserSortField;
  label: string;
  state: SortState;
  onSort: (next: SortState) => void;
  className?: string;
}) {
  const active = state.sort === field;
  const ariaSort = active ? (state.order === 'asc' ? 'ascending' : 'descending') : undefined;
  const next: SortState = {
    sort: field,
    order: active && state.order === 'asc' ? 'desc' : 'asc',
  };

  return (
    // The role survives a table laid out as a grid, which browsers stop treating as one.
    <Th role="columnheader" aria-sort={ariaSort} className={className}>
      <button
        type="button"
        onClick={() => onSort(next)}
        className="inline-flex items-center gap-1 uppercase hover:text-zinc-900"
      >
        {label}
        <span aria-hidden="true" className={active ? 'text-zinc-900' : 'text-zinc-300'}>
          {active && state.order === 'desc' ? '▼' : '▲'}
        </span>
      </button>
    </Th>
  );
}
