'use client';

import { useRouter, useSearchParams } from 'next/navigation';

import { AUDIT_PAGE_SIZE, auditApiQuery, parseAuditFilters, useAuditPage,
  type AuditFilters } from '@/lib/audit';
import { auditPath } from '@/lib/paths';
import { useCan, useSession } from '@/lib/session';

import { Pager } from '../users/pager';
import { ErrorNotice } from '../ui/notice';
import { PageTitle, Panel } from '../ui/panel';
import { AuditFilterForm } from './audit-filter-form';
import { AuditTable } from './audit-table';

/** The audit trail with its filters in the URL, newest first, and its CSV export. */
export function AuditView({ replicatorId }: { replicatorId: string }) {
  const router = useRouter();
  const session = useSession();
  const ownOnly = useCan()('audit-all') ? null : session.name;
  const parsed = parseAuditFilters(useSearchParams());
  const filters = ownOnly === null ? parsed : { ...parsed, actor: ownOnly };
  const page = useAuditPage(filters);

  const hrefFor = (next: AuditFilters) =>
    auditPath(replicatorId, { ...next, offset: next.offset > 0 ? String(next.offset) : '' });
  const total = page.data?.total;
  const pager = total !== undefined && (
    <Pager offset={filters.offset} pageSize={AUDIT_PAGE_SIZE} total={total}
      hrefAt={(offset) => hrefFor({ ...filters, offset })} />
  );

  return (
    <>
      <PageTitle aside={<CsvLink filters={filters} />}>
        {ownOnly === null ? 'Audit trail' : 'Your audit trail'}
      </PageTitle>
      <Panel className="p-4">
        <AuditFilterForm key={JSON.stringify(filters)} filters={filters} ownOnly={ownOnly}
          onApply={(next) => router.push(hrefFor(next))} />
      </Panel>
      {page.error !== null && (
        <div className="mt-4">
          <ErrorNotice title="Could not read the trail" error={page.error} />
        </div>
      )}
      <Panel title="Newest first" aside={pager} className="mt-4">
        <AuditTable entries={page.data?.entries} />
      </Panel>
    </>
  );
}

function CsvLink({ filters }: { filters: AuditFilters }) {
  const href = `/api/v1/audit/csv?${auditApiQuery(filters, false)}`;
  return (
    <a href={href} download className="text-sm font-medium text-sky-800 underline">
      Export CSV
    </a>
  );
}
