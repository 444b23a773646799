import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** The bundled page (`npm run build` writes it with esbuild beside the compiled app: dist/ui). */
const UI_ROOT = path.resolve(__dirname, '..', '..', 'ui');
const TYPES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/**
 * GET /api/ui and /api/ui/{file} — the operator page's static files, anonymous (excluded from Easy Auth: the page
 * holds no data; it calls the API as the signed-in person). Only the bundle's own files are served.
 */
export async function getOperatorPage(request: HttpRequest): Promise<HttpResponseInit> {
  const file = request.params['path'] || 'index.html';
  const type = TYPES[file];
  if (!type) return problem(404, 'Not Found', `/api/ui/${file} does not exist.`);
  try {
    return {
      status: 200,
      headers: { 'content-type': type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' },
      body: await readFile(path.join(UI_ROOT, file)),
    };
  } catch {
    return problem(
      503,
      'Service Unavailable',
      'The operator page has not been built (npm run build bundles it into dist/ui).',
    );
  }
}

/** An anonymous page's problem+json (no principal, so not through endpoint()). */
function problem(status: number, title: string, detail: string): HttpResponseInit {
  return {
    status,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({ type: 'about:blank', title, status, detail }),
  };
}

app.http('getOperatorPage', {
  methods: ['GET'],
  route: 'ui/{*path}',
  authLevel: 'anonymous',
  handler: getOperatorPage,
});
