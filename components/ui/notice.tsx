import type { ReactNode } from 'react';

import { ApiRequestError } from '@/lib/api-client';

import { HintText } from './hint-text';

type Kind = 'error' | 'warning' | 'success' | 'info';

const KINDS: Record<Kind, string> = {
  error: 'border-red-300 bg-red-50 text-red-900',
  warning: 'border-amber-300 bg-amber-50 text-amber-950',
  success: 'border-emerald-300 bg-emerald-50 text-emerald-900',
  info: 'border-zinc-300 bg-zinc-50 text-zinc-800',
};

/**
 * A boxed message. Errors and warnings are alerts, announced at once; the others carry no
 * role, so the replicator badge stays the page's one `status`.
 */
export function Notice({ kind, title, children }: {
  kind: Kind;
  title?: ReactNode;
  children?: ReactNode;
}) {
  const role = kind === 'error' || kind === 'warning' ? 'alert' : undefined;
  return (
    <div role={role} className={`rounded-md border px-3 py-2 text-sm ${KINDS[kind]}`}>
      {title !== undefined && <p className="font-semibold">{title}</p>}
      {children}
    </div>
  );
}

/** What the API said went wrong: its message, its code, and its hint if it gave one. */
export function ErrorNotice({ error, title }: { error: Error; title?: ReactNode }) {
  const api = error instanceof ApiRequestError ? error : null;
  return (
    <Notice kind="error" title={title}>
      <p>
        {error.message}
        {api !== null && <> <ErrorCode code={api.code} /></>}
      </p>
      {api?.hint != null && (
        <p className="mt-1 text-xs opacity-90">
          <HintText text={api.hint} />
        </p>
      )}
    </Notice>
  );
}

export function ErrorCode({ code }: { code: string }) {
  return <code className="ml-2 rounded bg-black/5 px-1 font-mono text-xs">{code}</code>;
}
