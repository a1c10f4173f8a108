import type { UseQueryResult } from '@tanstack/react-query';

import type { Dsync, DsyncsAnswer } from '@/lib/api-types';

import { DsyncTypeBadge, UserLink } from '../users/cells';
import { ErrorNotice } from '../ui/notice';
import { Panel } from '../ui/panel';
import { EmptyRow, Table, Td, Th } from '../ui/table';

/** The replicator's dsync slots: who is being synced right now, and how many slots idle. */
export function DsyncTable({ replicatorId, query }: {
  replicatorId: string;
  query: UseQueryResult<DsyncsAnswer>;
}) {
  const slots = query.data?.dsyncs;
  const running = slots?.filter((slot) => slot.username !== null).length ?? 0;
  const idle = (slots?.length ?? 0) - running;
  const counts = slots === undefined ? undefined : `${running} running, ${idle} idle`;

  return (
    <Panel title="Dsync slots" aside={counts}>
      {query.error !== null && slots === undefined ? (
        <div className="p-3">
          <ErrorNotice title="Could not read the dsyncs" error={query.error} />
        </div>
      ) : (
        <Table caption="Dsync slots">
          <thead>
            <tr>
              <Th className="w-12">#</Th>
              <Th>User</Th>
              <Th>Type</Th>
              <Th>State</Th>
            </tr>
          </thead>
          <tbody>{slotRows(replicatorId, slots)}</tbody>
        </Table>
      )}
    </Panel>
  );
}

function slotRows(replicatorId: string, slots: Dsync[] | undefined) {
  if (slots === undefined) return <EmptyRow columns={4}>Loading…</EmptyRow>;
  if (slots.length === 0) {
    return <EmptyRow columns={4}>The replicator has no dsync slots.</EmptyRow>;
  }
  return slots.map((slot, index) => (
    // Slots have no identity of their own beyond their position in the replicator's list.
    <SlotRow key={index} replicatorId={replicatorId} slot={slot} number={index + 1} />
  ));
}

function SlotRow({ replicatorId, slot, number }: {
  replicatorId: string;
  slot: Dsync;
  number: number;
}) {
  if (slot.username === null) {
    return (
      <tr className="text-zinc-400">
        <Td>{number}</Td>
        <Td>idle</Td>
        <Td>—</Td>
        {/* Dovecot calls an idle slot "Not connected", which reads like a fault here. */}
        <Td title={`Dovecot says: ${slot.state}`}>—</Td>
      </tr>
    );
  }
  return (
    <tr>
      <Td className="text-zinc-500">{number}</Td>
      <Td>
        <UserLink replicatorId={replicatorId} username={slot.username} />
      </Td>
      <Td>
        <DsyncTypeBadge type={slot.type} />
      </Td>
      <Td>{slot.state}</Td>
    </tr>
  );
}
