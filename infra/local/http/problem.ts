import type { ServerResponse } from 'node:http';

/** Writes an RFC 9457 problem+json response (host-level errors: unknown route, function crash). */
export function writeProblem(
  res: ServerResponse,
  status: number,
  title: string,
  detail: string,
  extra: Record<string, unknown> = {},
): void {
  writeJson(res, status, { type: 'about:blank', title, status, detail, ...extra }, 'application/problem+json');
}

export function writeJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  contentType = 'application/json',
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': contentType, ...headers });
  res.end(text);
}
