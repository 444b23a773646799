import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InputBindings } from '../bindings';
import type { RegisteredFunction } from '../functionsCore';
import type { HostServices } from '../services';
import { parseRouteTemplate, requestPath, type RouteTemplate } from './routeTemplate';
import { writeProblem } from './problem';

interface HttpRoute {
  fn: RegisteredFunction;
  template: RouteTemplate;
  methods: string[] | undefined;
  /** Whether the function has outputs besides its HTTP response (decided once, from its bindings). */
  otherOutputs: boolean;
}

interface RpcHttpResponse {
  statusCode?: string | number;
  headers?: Record<string, string>;
  cookies?: Array<Record<string, unknown>>;
  body?: { bytes?: Uint8Array; string?: string };
}

/** Serves the app's HTTP triggers under the route prefix, converting requests as the Functions host does. */
export class HttpTriggers {
  private readonly routes: HttpRoute[];

  constructor(
    private readonly services: HostServices,
    private readonly bindings: InputBindings,
    functions: RegisteredFunction[],
    readonly routePrefix: string,
  ) {
    this.routes = functions
      .filter((fn) => fn.trigger.type.toLowerCase() === 'httptrigger')
      .map((fn) => {
        const route = (fn.trigger['route'] as string | undefined) ?? fn.name;
        const methods = fn.trigger['methods'] as string[] | undefined;
        return {
          fn,
          template: parseRouteTemplate(route),
          methods: methods?.map((m) => m.toUpperCase()),
          otherOutputs: Object.values(fn.metadata.bindings).some(
            (b) => b.direction === 'out' && b.type.toLowerCase() !== 'http',
          ),
        };
      })
      // Literal-heavy routes first, as ASP.NET Core orders by precedence.
      .sort((a, b) => precedence(b.template.template) - precedence(a.template.template));
  }

  describe(): Array<{ name: string; methods: string; url: string }> {
    return this.routes.map((r) => ({
      name: r.fn.name,
      methods: (r.methods ?? ['ANY']).join(','),
      url: `${this.services.origin()}/${[this.routePrefix, r.template.template].filter(Boolean).join('/')}`,
    }));
  }

  /** Handles `path` (after the prefix) of the request `url`. Returns false when no function route matches. */
  async handle(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer, url: URL): Promise<boolean> {
    const method = (req.method ?? 'GET').toUpperCase();
    const parts = requestPath(path); // split and decoded once, matched against every route
    let routeMatchedOtherMethod = false;
    for (const route of this.routes) {
      const params = route.template.matchParts(parts);
      if (!params) continue;
      if (route.methods && !route.methods.includes(method)) {
        routeMatchedOtherMethod = true;
        continue;
      }
      await this.invoke(route, req, res, params, body, url);
      return true;
    }
    if (routeMatchedOtherMethod) {
      writeProblem(res, 405, 'Method Not Allowed', `${method} is not allowed on this route.`);
      return true;
    }
    return false;
  }

  private async invoke(
    route: HttpRoute,
    req: IncomingMessage,
    res: ServerResponse,
    params: Record<string, string>,
    body: Buffer,
    url: URL,
  ) {
    const { fn } = route;
    const outcome = await this.services.invoker.invoke(fn, {
      inputData: [{ name: fn.triggerKey, data: { http: toRpcHttp(req, url, params, body) } }],
    });
    if (!outcome.ok) {
      this.services.logger.error(`Function '${fn.name}' failed (invocation ${outcome.invocationId}):`, outcome.error);
      writeProblem(res, 500, 'Internal Server Error', `The function failed. Invocation ID: ${outcome.invocationId}.`, {
        invocationId: outcome.invocationId,
      });
      return;
    }
    if (route.otherOutputs) await this.services.dispatchOutputs(fn, outcome.response);
    writeRpcHttp(res, outcome.response.returnValue?.http as RpcHttpResponse | undefined);
  }
}

function precedence(template: string): number {
  return template
    .split('/')
    .reduce((score, s) => score + (s.startsWith('{*') || s.startsWith('{**') ? 0 : s.startsWith('{') ? 1 : 3), 0);
}

function nullable(entries: Iterable<[string, string]>): Record<string, { value: string }> {
  const out: Record<string, { value: string }> = {};
  for (const [k, v] of entries) out[k] = { value: out[k] ? `${out[k].value},${v}` : v };
  return out;
}

function toRpcHttp(req: IncomingMessage, url: URL, params: Record<string, string>, body: Buffer) {
  const headers: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers.push([name.toLowerCase(), Array.isArray(value) ? value.join(',') : value]);
  }
  return {
    method: req.method ?? 'GET',
    url: url.toString(),
    nullableHeaders: nullable(headers),
    // Azure joins repeated query keys with "," (library issue #168); stay faithful.
    nullableQuery: nullable(url.searchParams.entries()),
    nullableParams: nullable(Object.entries(params)),
    ...(body.length > 0 ? { body: { bytes: new Uint8Array(body) } } : {}),
  };
}

function writeRpcHttp(res: ServerResponse, http: RpcHttpResponse | undefined): void {
  if (!http) {
    res.writeHead(200);
    res.end();
    return;
  }
  const status = Number.parseInt(String(http.statusCode ?? '200'), 10) || 200;
  for (const [name, value] of Object.entries(http.headers ?? {})) res.setHeader(name, value);
  const cookies = (http.cookies ?? []).map(serializeCookie);
  if (cookies.length) res.setHeader('set-cookie', cookies);
  const bytes = http.body?.bytes ?? (http.body?.string !== undefined ? Buffer.from(http.body.string) : undefined);
  res.writeHead(status);
  if (!bytes || [204, 205, 304].includes(status)) return void res.end();
  // A view of the bytes where they are a typed array, not a copy.
  res.end(
    ArrayBuffer.isView(bytes) ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : Buffer.from(bytes),
  );
}

function serializeCookie(cookie: Record<string, unknown>): string {
  const value = (v: unknown) => (v && typeof v === 'object' && 'value' in v ? v.value : v);
  const parts = [`${String(cookie['name'])}=${String(cookie['value'])}`];
  if (value(cookie['domain'])) parts.push(`Domain=${String(value(cookie['domain']))}`);
  if (value(cookie['path'])) parts.push(`Path=${String(value(cookie['path']))}`);
  const expires = value(cookie['expires']) as { seconds?: number } | undefined;
  if (expires?.seconds !== undefined) parts.push(`Expires=${new Date(Number(expires.seconds) * 1000).toUTCString()}`);
  if (value(cookie['maxAge']) !== undefined) parts.push(`Max-Age=${String(value(cookie['maxAge']))}`);
  if (value(cookie['secure'])) parts.push('Secure');
  if (value(cookie['httpOnly'])) parts.push('HttpOnly');
  const sameSite = cookie['sameSite'];
  if (sameSite === 'lax') parts.push('SameSite=Lax');
  if (sameSite === 'strict') parts.push('SameSite=Strict');
  if (sameSite === 'explicitNone') parts.push('SameSite=None');
  return parts.join('; ');
}
