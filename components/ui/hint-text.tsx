import { Fragment } from 'react';

/**
 * A server hint, whose config snippets are quoted in backticks (`service replicator`):
 * those parts are shown as code so they can be copied exactly.
 */
export function HintText({ text }: { text: string }) {
  const parts = text.split('`');
  return (
    <>
      {parts.map((part, index) =>
        // Odd parts sat between backticks; an unpaired one just leaves plain text.
        index % 2 === 1 && index < parts.length - 1 ? (
          <code key={index} className="rounded bg-black/5 px-1 font-mono">
            {part}
          </code>
        ) : (
          <Fragment key={index}>{part}</Fragment>
        ),
      )}
    </>
  );
}
