/**
 * Next.js Proxy (the file convention formerly called middleware): every page gets a
 * Content-Security-Policy with a nonce of its own, as Next documents for strict CSP. The
 * policy is set on the request too, which is where Next reads the nonce to put on its
 * scripts. The other security headers, and the policy of non-page answers, come from
 * next.config.js.
 */
import { NextResponse, type NextRequest } from 'next/server';

import { newNonce, pagePolicy } from '@/server/http/csp';

export function proxy(request: NextRequest): NextResponse {
  const policy = pagePolicy(newNonce(), process.env.NODE_ENV === 'development');
  const headers = new Headers(request.headers);
  headers.set('Content-Security-Policy', policy);

  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: not the API, the metrics, the health checks or static files.
      source: '/((?!api/|_next/static|_next/image|metrics|healthz|readyz|icon.svg|favicon.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
