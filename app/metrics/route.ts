import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

/** Prometheus scrape target, in the text exposition format. */
export async function GET(): Promise<Response> {
  const { registry } = getRuntime().metrics;
  return new Response(await registry.metrics(), {
    headers: { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' },
  });
}
