import {
  app,
  type HttpMethod,
  type HttpRequest,
  type HttpResponseInit,
  type InvocationContext,
} from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import type { Services } from '../../../app/services';
import { DryRunStop } from '../../../app/dryRun';
import { documentEndpoint, type EndpointDocumentation } from './openApi';
import { isPathId } from '../../../domain/input';
import { ownsNothing, principalOf, type Principal, type Role } from './principal';
import { forbidden, HttpProblem, notFound, payloadTooLarge, toProblem, unauthorized } from './problems';

/** The largest body any endpoint reads (api-contract Conventions: beyond, 413). */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface EndpointRequest<B extends z.ZodType = z.ZodUndefined> {
  request: HttpRequest;
  /** The Durable client, for endpoints registered with `durableClient: true`. */
  client?: df.DurableClient;
  context: InvocationContext;
  /** The services the entry point built at start-up. */
  services: Services;
  principal: Principal;
  params: Record<string, string>;
  /** Parses the JSON body with the endpoint's `body` schema (400 with field errors when it does not fit). */
  body(): Promise<z.output<B>>;
}

export type EndpointHandler<B extends z.ZodType = z.ZodUndefined> = (
  req: EndpointRequest<B>,
) => Promise<HttpResponseInit>;

export interface EndpointOptions<B extends z.ZodType> extends EndpointDocumentation {
  method: HttpMethod;
  route: string;
  /** Roles that may call at all; customer isolation is checked by the handler against the resource. */
  roles: readonly Role[];
  /** The request body's schema: validates it and documents it in the OpenAPI document. */
  body?: B;
  handler: EndpointHandler<B>;
  /** Registers through df.app.client.http so the handler gets the Durable client. */
  durableClient?: boolean;
}

/** An HTTP function as the host calls it. */
export type HttpHandler = (
  request: HttpRequest,
  context: InvocationContext,
  client?: df.DurableClient,
) => Promise<HttpResponseInit>;

/** An endpoint, documented when its module loads; its handler is made from the services the entry point built. */
export interface Endpoint {
  name: string;
  /** The handler on `services` (the entry point's, or fakes in a test). */
  handler(services: Services): HttpHandler;
  /** Registers the function with the host, its handler on `services` (called once, by the entry point). */
  register(services: Services): void;
}

/**
 * Defines an HTTP function with the conventions every endpoint shares (principal, roles, problem+json) and documents
 * it in the OpenAPI document: path, path parameters, query, request body and responses. The entry point registers it
 * with the services it built at start-up.
 */
export function endpoint<B extends z.ZodType = z.ZodUndefined>(name: string, options: EndpointOptions<B>): Endpoint {
  const handler =
    (services: Services): HttpHandler =>
    async (request, context, client) => {
      try {
        // Fail closed: in Azure without App Service Authentication anyone could forge the principal header.
        if (!services.principalHeaderTrusted)
          throw unauthorized('App Service Authentication is not enabled on this app: no principal can be trusted.');
        const principal = principalOf(request);
        if (!principal) throw unauthorized();
        if (ownsNothing(principal)) throw forbidden('Your principal carries no customer_id claim: it owns nothing.');
        if (!principal.roles.some((r) => options.roles.includes(r)))
          throw forbidden(
            `This needs the role ${options.roles.join(' or ')}; you have ${principal.roles.join(', ') || 'no role'}.`,
          );
        // An id the product could never have issued is missing, and never reaches storage.
        for (const value of Object.values(request.params)) if (!isPathId(value)) throw notFound('The resource');
        if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) throw payloadTooLarge(MAX_BODY_BYTES);
        return await options.handler({
          request,
          client,
          context,
          services,
          principal,
          params: { ...request.params },
          body: () => parseBody(request, options.body ?? (z.undefined() as unknown as B)),
        });
      } catch (error) {
        if (error instanceof DryRunStop) throw error; // a what-if's answer, for the what-if endpoint
        return toProblem(error, context);
      }
    };
  documentEndpoint(name, options.method, options.route, options.body, options);
  return {
    name,
    handler,
    register(services) {
      const registration = { methods: [options.method], route: options.route, authLevel: 'anonymous' as const };
      const run = handler(services);
      if (options.durableClient) {
        df.app.client.http(name, {
          ...registration,
          handler: (request, client, context) => run(request, context, client),
        });
      } else {
        app.http(name, { ...registration, handler: (request, context) => run(request, context) });
      }
    },
  };
}

async function parseBody<T extends z.ZodType>(request: HttpRequest, schema: T): Promise<z.output<T>> {
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw payloadTooLarge(MAX_BODY_BYTES);
  let json: unknown;
  try {
    json = text.length === 0 ? undefined : JSON.parse(text);
  } catch {
    throw new HttpProblem(400, 'Bad Request', 'The body is not valid JSON.', {
      errors: [{ path: '', message: 'invalid JSON' }],
    });
  }
  return schema.parse(json);
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, jsonBody: body, headers };
}

/** The `?limit=` and `?continuationToken=` query parameters, for the OpenAPI document. */
export const pagingQuery = {
  limit: z.string().optional().describe('Page size, 1..500 (default 50).'),
  continuationToken: z.string().optional().describe('From the previous page (only a token this API issued).'),
};

/** A query parameter parsed with a schema: 400 naming the parameter when it does not fit. */
export function queryParam<T extends z.ZodType>(request: HttpRequest, name: string, schema: T): z.output<T> {
  const parsed = schema.safeParse(request.query.get(name) ?? undefined);
  if (parsed.success) return parsed.data;
  throw new HttpProblem(400, 'Bad Request', `The query parameter ${name} is malformed.`, {
    errors: parsed.error.issues.map((i) => ({ path: [name, ...i.path].join('.'), message: i.message })),
  });
}

/** `?limit=` (default 50, max 500) and `?continuationToken=` (only one this product issued). */
export function paging(
  request: HttpRequest,
  options: { ownToken?: boolean } = {},
): { limit: number; continuationToken?: string } {
  const raw = request.query.get('limit');
  const limit = raw === null ? 50 : /^\d{1,3}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new HttpProblem(400, 'Bad Request', 'limit must be an integer from 1 to 500.', {
      errors: [{ path: 'limit', message: 'must be 1..500' }],
    });
  }
  const token = request.query.get('continuationToken');
  if (token === null) return { limit };
  // A list that issues its own tokens (not the Table SDK's) validates them itself.
  if (!options.ownToken && !isIssuedToken(token)) {
    throw new HttpProblem(400, 'Bad Request', 'continuationToken is not one this API issued.', {
      errors: [{ path: 'continuationToken', message: 'not issued by this API' }],
    });
  }
  return { limit, continuationToken: token };
}

const tokenKey = z.string().regex(/^[\x20-\x7e]{1,1024}$/);
const tokenSchema = z.object({ nextPartitionKey: tokenKey, nextRowKey: tokenKey.optional() }).strict();

/**
 * The lists hand out the Table SDK's own tokens: base64 of `{ nextPartitionKey, nextRowKey? }`. Anything else
 * (not canonical base64, not that JSON) was not issued here and would fail inside the SDK.
 */
function isIssuedToken(token: string): boolean {
  if (token.length > 4096 || !/^[A-Za-z0-9+/]+={0,2}$/.test(token)) return false;
  const bytes = Buffer.from(token, 'base64');
  if (bytes.toString('base64') !== token) return false;
  try {
    return tokenSchema.safeParse(JSON.parse(bytes.toString('latin1'))).success;
  } catch {
    return false;
  }
}
