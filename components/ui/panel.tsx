import type { ReactNode } from 'react';

/** A bordered box of the page, optionally with a heading that names it for screen readers. */
export function Panel({
  title,
  aside,
  children,
  className = '',
}: {
  title?: ReactNode;
  aside?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section className={`rounded-md border border-zinc-200 bg-white ${className}`}>
      {title !== undefined && <PanelHeading title={title} aside={aside} />}
      {children}
    </section>
  );
}

const PANEL_HEADER =
  'flex flex-wrap items-center justify-between gap-x-3 gap-y-1 border-b border-zinc-200 px-4 py-2';

function PanelHeading({ title, aside }: { title: ReactNode; aside?: ReactNode }) {
  return (
    <header className={PANEL_HEADER}>
      <h2 className="min-w-0 text-sm font-semibold text-zinc-800">{title}</h2>
      {aside !== undefined && <div className="text-xs text-zinc-500">{aside}</div>}
    </header>
  );
}

export function PageTitle({ children, aside }: { children: ReactNode; aside?: ReactNode }) {
  return (
    <div className="mb-4 flex flex-wrap items-baseline justify-between gap-2">
      <h1 className="text-lg font-semibold text-zinc-900">{children}</h1>
      {aside !== undefined && <div className="text-xs text-zinc-500">{aside}</div>}
    </div>
  );
}
