import { useId, type ReactElement, type SelectHTMLAttributes } from 'react';
import { cloneElement } from 'react';

/** A label above its control, tied to it by id. */
export function Field({ label, children }: {
  label: string;
  children: ReactElement<{ id?: string }>;
}) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium text-zinc-600">{label}</label>
      {cloneElement(children, { id })}
    </div>
  );
}

const SELECT =
  'rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm focus-visible:outline-2 ' +
  'focus-visible:outline-sky-600';

export function Select(props: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select className={SELECT} {...props} />;
}
