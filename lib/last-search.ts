/**
 * The users search last shown for each replicator in this tab, so that a user's page can
 * link back to the list it was opened from rather than to an empty search.
 */
import { useEffect, useState } from 'react';

import { usersPath } from './paths';

const storageKey = (replicatorId: string) => `users-search:${replicatorId}`;

/** Remembers a users list's address for the tab (sessionStorage: a tab of its own). */
export function useRememberedSearch(replicatorId: string, path: string): void {
  useEffect(() => {
    try {
      sessionStorage.setItem(storageKey(replicatorId), path);
    } catch {
      // Storage refused (private mode, quota): the way back is the empty search.
    }
  }, [replicatorId, path]);
}

/**
 * The users list to go back to. The first render is the empty search, as on the server:
 * storage is read after hydration, or the two renders would disagree.
 */
export function useUsersListPath(replicatorId: string): string {
  const fallback = usersPath(replicatorId);
  const [path, setPath] = useState(fallback);

  useEffect(() => {
    try {
      setPath(rememberedFor(replicatorId) ?? fallback);
    } catch {
      setPath(fallback);
    }
  }, [replicatorId, fallback]);
  return path;
}

/** Only a path of this replicator's users list is followed, whatever the storage holds. */
function rememberedFor(replicatorId: string): string | null {
  const stored = sessionStorage.getItem(storageKey(replicatorId));
  const prefix = usersPath(replicatorId);
  return stored !== null && (stored === prefix || stored.startsWith(`${prefix}?`)) ? stored : null;
}
