import type { AuditEntry } from '@/lib/api-types';

import { Badge, type BadgeTone } from '../ui/badge';
import { MaskText } from '../ui/mask';
import { EmptyRow, Table, Td, Th } from '../ui/table';
import { TimeAgo } from '../ui/time';

const OUTCOME_TONES: Record<AuditEntry['outcome'], BadgeTone> = {
  ok: 'green',
  refused: 'amber',
  failed: 'red',
  attempt: 'neutral',
};

/** Audit rows, newest first, as the API answered them. */
export function AuditTable({ entries }: { entries: AuditEntry[] | undefined }) {
  return (
    <Table caption="Audit trail">
      <thead>
        <tr>
          <Th>Time</Th>
          <Th>Actor</Th>
          <Th>Source</Th>
          <Th>Action</Th>
          <Th>Mask</Th>
          <Th>Outcome</Th>
        </tr>
      </thead>
      <tbody>{rows(entries)}</tbody>
    </Table>
  );
}

function rows(entries: AuditEntry[] | undefined) {
  if (entries === undefined) return <EmptyRow columns={6}>Loading…</EmptyRow>;
  if (entries.length === 0) return <EmptyRow columns={6}>No rows match.</EmptyRow>;
  return entries.map((entry) => <AuditRow key={entry.id} entry={entry} />);
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  return (
    <tr>
      <Td><TimeAgo iso={entry.time} /></Td>
      <Td>
        {entry.actor}
        {entry.role !== null && <span className="text-zinc-500"> · {entry.role}</span>}
      </Td>
      <Td className="font-mono text-xs">{entry.source}</Td>
      <Td>{entry.action}{options(entry)}</Td>
      <Td><MaskText mask={entry.mask ?? ''} /></Td>
      <Td className="whitespace-normal">
        <Badge tone={OUTCOME_TONES[entry.outcome]}>{entry.outcome}</Badge>{' '}
        <span className="text-xs text-zinc-600">{detail(entry)}</span>
      </Td>
    </tr>
  );
}

function options(entry: AuditEntry): string {
  if (entry.action !== 'replicate') return '';

  // A request refused before it was read may carry no priority at all.
  const words = [entry.priority, entry.full === true ? 'full' : null].filter((w) => w !== null);
  return words.length === 0 ? '' : ` (${words.join(', ')})`;
}

function detail(entry: AuditEntry): string {
  if (entry.outcome === 'ok' && entry.updated !== null) return `${entry.updated} queued`;
  if (entry.errorCode === null) return '';
  return `${entry.errorCode}: ${entry.errorMessage ?? ''}`;
}
