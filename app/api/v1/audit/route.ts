import { readAudit } from '@/server/audit/read';
import { apiRoute, parseQuery } from '@/server/http/route';
import { AuditQuery } from '@/server/http/schemas';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

/** The audit trail, newest first: all of it for an operator, one's own rows otherwise. */
export const GET = apiRoute('read', async (request, _params, who) =>
  readAudit(getRuntime().audit, who, parseQuery(request, AuditQuery)),
);
