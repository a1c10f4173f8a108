'use client';

import { useEffect, useId, useRef, type ReactNode } from 'react';

import { Button } from './button';

/**
 * A modal "are you sure" built on <dialog>, so focus trapping, Escape and the backdrop come
 * from the browser. Its buttons are "Confirm" and "Cancel" whatever the action, so the
 * action's own button outside never shares their name.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  danger = false,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
      className={DIALOG}
    >
      <h2 id={titleId} className="text-base font-semibold break-words text-zinc-900">{title}</h2>
      <div className="mt-2 text-sm text-zinc-700">{children}</div>
      <div className="mt-5 flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button variant={danger ? 'danger' : 'primary'} onClick={onConfirm} autoFocus>
          Confirm
        </Button>
      </div>
    </dialog>
  );
}

const DIALOG =
  'm-auto w-[min(28rem,calc(100vw-2rem))] rounded-lg border border-zinc-300 bg-white p-5 ' +
  'shadow-xl backdrop:bg-zinc-950/40';
