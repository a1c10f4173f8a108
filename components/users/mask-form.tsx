'use client';

import { useId } from 'react';

import { Button } from '../ui/button';

const INPUT =
  'w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 font-mono text-sm ' +
  'focus-visible:outline-2 focus-visible:outline-sky-600';

/**
 * The user mask search. The mask is the URL's, so the input starts from it; a new search
 * goes back into the URL and the list follows from there.
 */
export function MaskForm({ mask, onSearch }: {
  mask: string | null;
  onSearch: (mask: string) => void;
}) {
  const helpId = useId();
  const inputId = useId();

  return (
    <form
      role="search"
      className="flex flex-wrap items-start gap-x-2 gap-y-1"
      onSubmit={(event) => {
        event.preventDefault();
        const value = new FormData(event.currentTarget).get('mask');
        if (typeof value === 'string' && value !== '') onSearch(value);
      }}
    >
      <label htmlFor={inputId} className="basis-full text-xs font-medium text-zinc-600">
        User mask
      </label>
      <div className="min-w-64 flex-1 sm:max-w-md">
        <input
          id={inputId}
          name="mask"
          defaultValue={mask ?? ''}
          placeholder="*@example.com"
          aria-describedby={helpId}
          autoComplete="off"
          spellCheck={false}
          required
          className={INPUT}
        />
      </div>
      <Button type="submit" variant="primary">Search</Button>
      <p id={helpId} className="basis-full text-xs text-zinc-500">
        <code className="font-mono">*</code> matches any run of bytes,{' '}
        <code className="font-mono">?</code> exactly one byte. Case-sensitive.
      </p>
    </form>
  );
}
