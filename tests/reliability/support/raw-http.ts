/**
 * Requests sent exactly as written: node:http keeps the path as given (fetch would resolve
 * dot-segments and re-encode), which is what a hostile client does. Bounded concurrency.
 */
import http from 'node:http';

import { authHeaders } from './auth';

export interface RawAnswer {
  status: number;
  body: string;
}

export interface RawRequest {
  method: string;
  path: string;
  body?: Buffer;
  contentType?: string;
}

/** One request; status 0 with the error's text when no HTTP answer came. */
export function rawRequest(url: string, cookie: string, request: RawRequest): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  const headers: Record<string, string> = { ...authHeaders(cookie) };
  if (request.body !== undefined) {
    headers['content-type'] = request.contentType ?? 'application/json';
    headers['content-length'] = String(request.body.length);
  }
  return new Promise((resolve) => {
    const sent = http.request({ hostname, port, method: request.method, path: request.path,
      headers, agent: keepAlive }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0,
        body: Buffer.concat(chunks).toString('utf8') }));
    });
    sent.on('error', (error) => resolve({ status: 0, body: error.message }));
    sent.end(request.body);
  });
}

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 32 });

/**
 * Runs `work` over `items` with at most `concurrency` at once, until all are done or
 * `deadline` (performance.now()) passes; resolves with how many ran.
 */
export async function forEachLimited<T>(
  items: readonly T[],
  concurrency: number,
  deadline: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const lane = async () => {
    while (next < items.length && performance.now() < deadline) {
      const index = next++;
      await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return Math.min(next, items.length);
}
