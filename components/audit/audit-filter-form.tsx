'use client';

import { AUDIT_ACTIONS } from '@/lib/api-types';
import type { AuditFilters } from '@/lib/audit';

import { Field, Select } from '../actions/fields';
import { Button } from '../ui/button';

const INPUT =
  'rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm focus-visible:outline-2 ' +
  'focus-visible:outline-sky-600 disabled:bg-zinc-100';

/**
 * Who, what and when. Someone who may read only their own rows sees their name fixed in
 * the actor field: the server would refuse anyone else's.
 */
export function AuditFilterForm({ filters, ownOnly, onApply }: {
  filters: AuditFilters;
  /** The signed-in name when the role reads only its own rows; null for an operator. */
  ownOnly: string | null;
  onApply: (filters: AuditFilters) => void;
}) {
  return (
    <form
      aria-label="Audit filters"
      className="flex flex-wrap items-end gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const text = (name: string) => String(form.get(name) ?? '');
        const actor = ownOnly ?? text('actor');
        onApply({ actor, action: text('action'), since: text('since'), until: text('until'),
          offset: 0 });
      }}
    >
      <Field label="Actor">
        <input name="actor" defaultValue={ownOnly ?? filters.actor} disabled={ownOnly !== null}
          className={INPUT} />
      </Field>
      <Field label="Action">
        <Select name="action" defaultValue={filters.action}>
          <option value="">any</option>
          {AUDIT_ACTIONS.map((action) => <option key={action} value={action}>{action}</option>)}
        </Select>
      </Field>
      <Field label="Since">
        <input name="since" type="datetime-local" defaultValue={filters.since} className={INPUT} />
      </Field>
      <Field label="Until">
        <input name="until" type="datetime-local" defaultValue={filters.until} className={INPUT} />
      </Field>
      <Button type="submit" variant="primary">Filter</Button>
    </form>
  );
}
