/**
 * Next answers a method that a route does not export with an empty 405. Every API error
 * answers JSON with a code and a message, so such an answer gets that body on its way out:
 * at the status line (Next sends the headers before its empty body) and at the end.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

type Call = (...args: unknown[]) => ServerResponse;

export function answerMethodNotAllowedAsJson(
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const path = (request.url ?? '').split('?')[0]!;
  if (!path.startsWith('/api/')) return;

  const message = `${request.method} is not allowed on ${path}`;
  const body = JSON.stringify({ error: { code: 'method_not_allowed', message } });
  let replacing = false;

  const writeHead = response.writeHead.bind(response) as Call;
  response.writeHead = ((status: number, ...rest: unknown[]) => {
    replacing = status === 405;
    if (replacing) {
      response.setHeader('Content-Type', 'application/json');
      response.setHeader('Content-Length', Buffer.byteLength(body));
    }
    return writeHead(status, ...rest);
  }) as ServerResponse['writeHead'];

  const end = response.end.bind(response) as Call;
  response.end = ((...args: unknown[]) => {
    if (!response.headersSent && response.statusCode === 405) response.writeHead(405);
    return replacing ? end(body) : end(...args);
  }) as ServerResponse['end'];
}
