import { formatCount } from '@/lib/format';

import { LinkButton } from '../ui/button';

/** "1–100 of 2,345" with previous and next links, each a shareable URL. */
export function Pager({ offset, pageSize, total, hrefAt }: {
  offset: number;
  pageSize: number;
  total: number;
  hrefAt: (offset: number) => string;
}) {
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + pageSize, total);
  const hasPrevious = offset > 0;
  const hasNext = offset + pageSize < total;

  return (
    <nav aria-label="Pages" className="flex items-center gap-2 text-sm">
      <span className="whitespace-nowrap text-zinc-600 tabular-nums">
        {formatCount(first)}–{formatCount(last)} of {formatCount(total)}
      </span>
      <LinkButton href={hrefAt(Math.max(0, offset - pageSize))} disabled={!hasPrevious}>
        Previous
      </LinkButton>
      <LinkButton href={hrefAt(offset + pageSize)} disabled={!hasNext}>
        Next
      </LinkButton>
    </nav>
  );
}
