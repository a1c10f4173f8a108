import { ApiError, errorResponse } from '@/server/http/api-error';

export const dynamic = 'force-dynamic';

/** Any /api address no route serves: a JSON 404 like every other API error, not a page. */
function notFound(request: Request): Response {
  const { pathname } = new URL(request.url);
  const message = `no API route ${request.method} ${pathname}`;
  return errorResponse(new ApiError(404, 'not_found', message));
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
