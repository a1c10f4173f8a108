/**
 * A mask action that asks first when the mask is a wildcard: it counts the known users the
 * mask matches (limit=0 answers only the total), so the question can say how many.
 */
import { useState } from 'react';

import { api } from './api-client';
import { isWildcardMask } from './mask';

export type ConfirmStep =
  | { kind: 'idle' }
  | { kind: 'counting' }
  | { kind: 'confirm'; matches: number }
  /** The mask matches no known user, and the action would touch known users only. */
  | { kind: 'no-match' }
  | { kind: 'count-failed'; error: Error };

/**
 * @param knownUsersOnly the action touches only users the replicator knows (replicate), so
 *   a mask that matches none has nothing to do; ADD asks the userdb and goes on regardless.
 */
export function useConfirmedAction(
  replicatorId: string,
  mask: string,
  run: () => void,
  knownUsersOnly = false,
) {
  const [step, setStep] = useState<ConfirmStep>({ kind: 'idle' });

  async function start(): Promise<void> {
    if (!isWildcardMask(mask)) return run();

    setStep({ kind: 'counting' });
    try {
      const query = { mask, offset: 0, limit: 0, sort: 'username', order: 'asc' } as const;
      const { total } = await api.users(replicatorId, query);
      const nothing = total === 0 && knownUsersOnly;
      setStep(nothing ? { kind: 'no-match' } : { kind: 'confirm', matches: total });
    } catch (error) {
      setStep({ kind: 'count-failed', error: error as Error });
    }
  }

  return {
    step,
    start: () => void start(),
    confirm: () => {
      setStep({ kind: 'idle' });
      run();
    },
    cancel: () => setStep({ kind: 'idle' }),
  };
}
