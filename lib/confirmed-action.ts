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
  | { kind: 'count-failed'; error: Error };

export function useConfirmedAction(replicatorId: string, mask: string, run: () => void) {
  const [step, setStep] = useState<ConfirmStep>({ kind: 'idle' });

  async function start(): Promise<void> {
    if (!isWildcardMask(mask)) return run();

    setStep({ kind: 'counting' });
    try {
      const query = { mask, offset: 0, limit: 0, sort: 'username', order: 'asc' } as const;
      const { total } = await api.users(replicatorId, query);
      setStep({ kind: 'confirm', matches: total });
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
