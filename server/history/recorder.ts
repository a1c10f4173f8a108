/**
 * Writes every overview a hub polls into the history, and compacts the history once a
 * minute. A failed write is logged, never allowed to stop the hub.
 */
import { moduleLogger } from '../log';
import type { ReplicatorRegistry } from '../replicators';
import type { HistoryStore } from '../storage/stores';

const COMPACT_EVERY_MS = 60 * 1000;
const log = moduleLogger('history');

export function recordHistory(store: HistoryStore, replicators: ReplicatorRegistry): () => void {
  for (const { id, hub } of replicators.all()) {
    hub.on('polled', ({ overview }) => guarded('record', id, () => store.record(id, overview)));
  }

  const timer = setInterval(() => guarded('compact', null, () => store.compact()),
    COMPACT_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

function guarded(what: string, replicator: string | null, write: () => Promise<void>): void {
  write().catch((error: unknown) => {
    log.error({ replicator, err: error }, `history ${what} failed`);
  });
}
