import { ApiRequestError, isOutcomeUnknown } from '@/lib/api-client';

import { HintText } from '../ui/hint-text';
import { ErrorCode, ErrorNotice, Notice } from '../ui/notice';

/**
 * The answer to an action, kept in a live region so it is read out when it arrives. A lost
 * answer gets its own warning: the action may have happened, and repeating it blindly may
 * queue users twice or re-add a removed one.
 */
export function ActionResult({ error, success }: {
  error: Error | null;
  success: string | null;
}) {
  return (
    <div aria-live="polite" className="empty:hidden">
      {error !== null && <ActionError error={error} />}
      {error === null && success !== null && <Notice kind="success">{success}</Notice>}
    </div>
  );
}

function ActionError({ error }: { error: Error }) {
  if (!isOutcomeUnknown(error)) return <ErrorNotice title="The action failed" error={error} />;

  const hint = error instanceof ApiRequestError ? error.hint : null;
  return (
    <Notice kind="warning" title="Outcome unknown: may or may not have been queued">
      <p>
        {error.message}
        <ErrorCode code="outcome_unknown" />
      </p>
      <p className="mt-1 text-xs">
        {hint === null ? 'Check the queue before trying again.' : <HintText text={hint} />}
      </p>
    </Notice>
  );
}
