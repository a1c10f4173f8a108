'use client';

import { Button } from '@/components/ui/button';
import { Notice } from '@/components/ui/notice';

/** A page that broke while rendering; the header and its status badge stay usable. */
export default function ReplicatorPageError({ error, retry }: {
  error: unknown;
  retry: () => void;
}) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <Notice kind="error" title="This page failed to render">
      <p>{message}</p>
      <Button className="mt-2" onClick={() => retry()}>Try again</Button>
    </Notice>
  );
}
