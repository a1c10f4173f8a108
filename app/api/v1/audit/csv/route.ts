import { auditCsv } from '@/server/audit/csv';
import { readAudit } from '@/server/audit/read';
import { apiRoute, parseQuery } from '@/server/http/route';
import { AuditExportQuery } from '@/server/http/schemas';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

/** The same rows as GET /api/v1/audit, as a CSV file to download. */
export const GET = apiRoute('read', async (request, _params, who) => {
  const page = await readAudit(getRuntime().audit, who, parseQuery(request, AuditExportQuery));
  const day = new Date().toISOString().slice(0, 10);
  return new Response(auditCsv(page.entries), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="audit-${day}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
});
