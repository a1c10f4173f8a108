import type { ConfirmStep } from '@/lib/confirmed-action';

import { ErrorNotice } from '../ui/notice';

/** What happens before the confirmation: counting the mask's users, or why that failed. */
export function CountStatus({ step }: { step: ConfirmStep }) {
  if (step.kind === 'counting') {
    return <p className="text-sm text-zinc-500">Counting the users this mask matches…</p>;
  }
  if (step.kind === 'no-match') {
    return <p className="text-sm text-zinc-600">This mask matches no known user: nothing to do.</p>;
  }
  if (step.kind === 'count-failed') {
    return <ErrorNotice title="Could not count the users of this mask" error={step.error} />;
  }
  return null;
}
