import type { ReactNode, TdHTMLAttributes, ThHTMLAttributes } from 'react';

/** A dense data table: scrolls sideways on narrow screens instead of squashing columns. */
export function Table({ caption, children }: { caption?: string; children: ReactNode }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse text-sm whitespace-nowrap tabular-nums">
        {caption !== undefined && <caption className="sr-only">{caption}</caption>}
        {children}
      </table>
    </div>
  );
}

const TH =
  'border-b border-zinc-200 bg-zinc-50 px-3 py-1.5 text-left text-xs font-semibold ' +
  'tracking-wide text-zinc-600 uppercase';

export function Th({ className = '', ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return <th scope="col" className={`${TH} ${className}`} {...props} />;
}

export function Td({ className = '', ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={`border-b border-zinc-100 px-3 py-1.5 ${className}`} {...props} />;
}

/** A single row across the whole table, for "no rows" and loading states. */
export function EmptyRow({ columns, children }: { columns: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={columns} className="px-3 py-6 text-center text-sm text-zinc-500">
        {children}
      </td>
    </tr>
  );
}
