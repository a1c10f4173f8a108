'use client';

import {
  memo,
  useEffect,
  useState,
  type CSSProperties,
  type ReactNode,
  type RefObject,
} from 'react';

import { formatCount } from '@/lib/format';
import type { UsersList } from '@/lib/queries';
import { inSlotOrder, useRowSlots } from '@/lib/row-slots';
import { useUserRows, type UserRows } from '@/lib/users-list';
import { useVirtualRows, type VirtualRows } from '@/lib/use-virtual-rows';

import { ErrorNotice } from '../ui/notice';
import { SortHeader, type SortState } from './sort-header';
import { ROW_HEIGHT, UserRow } from './user-row';

const COLUMNS = [
  { field: 'username', label: 'Username', width: 'minmax(16rem, 1fr)' },
  { field: 'priority', label: 'Priority', width: '6.5rem' },
  { field: 'lastFastSync', label: 'Last fast sync', width: '10rem' },
  { field: 'lastFullSync', label: 'Last full sync', width: '10rem' },
  { field: 'lastSuccessfulSync', label: 'Last successful sync', width: '13rem' },
  { field: 'failed', label: 'Failed', width: '6rem' },
  { field: 'nextSyncSeconds', label: 'Next sync', width: '8rem' },
] as const;

type Column = (typeof COLUMNS)[number];

const WITHOUT_NEXT = COLUMNS.filter((column) => column.field !== 'nextSyncSeconds');

/**
 * About twenty rows on a laptop screen; the box scrolls, the page around it stays put. The
 * scroll position is the list's own: no scroll anchoring moving it when rows change.
 */
const BOX =
  'h-[70vh] min-h-72 overflow-auto overscroll-contain contain-strict [overflow-anchor:none] ' +
  'focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-sky-600';

/**
 * A list's users in one scrolling table of any length: only the rows on screen are in the
 * page, their blocks fetched as they come into view. The rows are laid out as a grid,
 * positioned absolutely, so the table states its roles and its full row count itself.
 * "Next sync" only exists from Dovecot 2.3.20 on; until a row has one, the column is left out.
 */
export function UsersTable({ replicatorId, list, total, onSort }: {
  replicatorId: string;
  list: UsersList;
  total: number;
  onSort: (next: SortState) => void;
}) {
  const virtual = useVirtualRows(total, ROW_HEIGHT, ROW_HEIGHT);
  const { rows, visible } = virtual;
  const data = useUserRows(replicatorId, list, rows[0]?.index ?? 0, rows.at(-1)?.index ?? 0);
  const columns = useColumns(data.anyNextSync);
  useTopOnSort(virtual.scrollRef, `${list.sort} ${list.order}`);

  return (
    <>
      <TableStatus>
        {visible !== null && <RowsShown {...visible} total={total} />}
        {data.error !== null && <ErrorNotice title="Rows could not be read" error={data.error} />}
      </TableStatus>
      <ScrollBox virtual={virtual} columns={columns} total={total}>
        <UsersHead columns={columns} sort={list} onSort={onSort} />
        <UsersBody
          {...{ replicatorId, virtual, data }}
          withNext={columns.length === COLUMNS.length}
        />
      </ScrollBox>
    </>
  );
}

/** The drawn rows, in a window placed below the header (see useVirtualRows). */
function UsersBody({ replicatorId, virtual, data, withNext }: {
  replicatorId: string;
  virtual: VirtualRows;
  data: UserRows;
  withNext: boolean;
}) {
  const slots = useRowSlots(virtual.rows.map((row) => row.index));
  const style: CSSProperties = {
    top: ROW_HEIGHT,
    transform: `translateY(${virtual.windowTop}px)`,
    // While it scrolls, rows pass under a still pointer: each frame would hit-test them and
    // restyle them for :hover. Inline, not a class: Chrome then passes the inherited value
    // down without restyling every cell.
    pointerEvents: virtual.isScrolling ? 'none' : undefined,
  };

  return (
    <tbody role="rowgroup" className="absolute inset-x-0 block contain-layout" style={style}>
      {inSlotOrder(virtual.rows, slots).map(({ index, top }) => {
        const row = data.userAt(index);
        return (
          <UserRow
            key={slots.get(index)}
            {...{ index, top, replicatorId, withNext }}
            user={row?.user}
            at={row?.at}
          />
        );
      })}
    </tbody>
  );
}

/** The columns, with "Next sync" from the first row that has one on (it never goes away). */
function useColumns(anyNextSync: boolean): readonly Column[] {
  const [withNext, setWithNext] = useState(false);
  if (anyNextSync && !withNext) setWithNext(true);
  return withNext ? COLUMNS : WITHOUT_NEXT;
}

/** A new sort starts at its top, as a new page would. */
function useTopOnSort(scrollRef: RefObject<HTMLDivElement | null>, sort: string) {
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [scrollRef, sort]);
}

function ScrollBox({ virtual, columns, total, children }: {
  virtual: VirtualRows;
  columns: readonly Column[];
  total: number;
  children: ReactNode;
}) {
  const style = {
    // Every row is a grid of its own: one template keeps their columns aligned.
    '--user-columns': columns.map((c) => c.width).join(' '),
    // The scroll height: the header, then every row (scaled past MAX_SCROLL_HEIGHT).
    height: ROW_HEIGHT + virtual.height,
  } as CSSProperties;
  return (
    // Focusable, so the keyboard can scroll it (Page Down, End) without a mouse.
    <div ref={virtual.scrollRef} tabIndex={0} role="region" aria-label="Users" className={BOX}>
      <table
        role="table"
        aria-label="Users matching the mask"
        aria-rowcount={total + 1}
        className="relative block min-w-max text-sm whitespace-nowrap tabular-nums"
        style={style}
      >
        {children}
      </table>
    </div>
  );
}

/** Memoised: the table draws again as it scrolls, its header need not. */
const UsersHead = memo(function UsersHead({ columns, sort, onSort }: {
  columns: readonly Column[];
  sort: SortState;
  onSort: (next: SortState) => void;
}) {
  return (
    <thead role="rowgroup" className="sticky top-0 z-10 block">
      <tr
        role="row"
        aria-rowindex={1}
        className="grid grid-cols-(--user-columns)"
        style={{ height: ROW_HEIGHT }}
      >
        {columns.map(({ field, label }) => (
          <SortHeader
            key={field}
            {...{ field, label, onSort }}
            state={sort}
            className="flex items-center"
          />
        ))}
      </tr>
    </thead>
  );
});

const STATUS = 'flex min-h-8 flex-wrap items-center gap-3 px-4 py-1.5 text-xs text-zinc-500';

function TableStatus({ children }: { children: ReactNode }) {
  return <div className={STATUS}>{children}</div>;
}

/** "Rows 1–40 of 1,000,000": where the box is in the list. */
function RowsShown({ first, last, total }: { first: number; last: number; total: number }) {
  return (
    <p className="tabular-nums">
      Rows {formatCount(first + 1)}–{formatCount(last + 1)} of {formatCount(total)}
    </p>
  );
}
