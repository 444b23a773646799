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
import { services } from '../../../infra/compositionRoot';
import { DryRunStop } from '../../../app/dryRun';
import { documentEndpoint, type EndpointDocumentation } from './openApi';
import { principalOf, type Principal, type Role } from './principal';
import { forbidden, HttpProblem, toProblem, unauthorized } from './problems';

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

/**
 * Registers an HTTP function with the conventions every endpoint shares (principal, roles, problem+json) and
 * documents it in the OpenAPI document: path, path parameters, query, request body and responses.
 */
export function endpoint<B extends z.ZodType = z.ZodUndefined>(
  name: string,
  options: EndpointOptions<B>,
): (request: HttpRequest, context: InvocationContext, client?: df.DurableClient) => Promise<HttpResponseInit> {
  const handler = async (
    request: HttpRequest,
    context: InvocationContext,
    client?: df.DurableClient,
  ): Promise<HttpResponseInit> => {
    try {
      const principal = principalOf(request);
      if (!principal) throw unauthorized();
      if (!principal.roles.some((r) => options.roles.includes(r)))
        throw forbidden(
          `This needs the role ${options.roles.join(' or ')}; you have ${principal.roles.join(', ') || 'no role'}.`,
        );
      return await options.handler({
        request,
        client,
        context,
        services: services(),
        principal,
        params: { ...request.params },
        body: () => parseBody(request, options.body ?? (z.undefined() as unknown as B)),
      });
    } catch (error) {
      if (error instanceof DryRunStop) throw error; // a what-if's answer, for the what-if endpoint
      return toProblem(error, context);
    }
  };
  const registration = { methods: [options.method], route: options.route, authLevel: 'anonymous' as const };
  if (options.durableClient) {
    df.app.client.http(name, {
      ...registration,
      handler: (request, client, context) => handler(request, context, client),
    });
  } else {
    app.http(name, { ...registration, handler: (request, context) => handler(request, context) });
  }
  documentEndpoint(name, options.method, options.route, options.body, options);
  return handler;
}

async function parseBody<T extends z.ZodType>(request: HttpRequest, schema: T): Promise<z.output<T>> {
  const text = await request.text();
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
  continuationToken: z.string().optional().describe('From the previous page.'),
};

/** `?limit=` (default 50, max 500) and `?continuationToken=`. */
export function paging(request: HttpRequest): { limit: number; continuationToken?: string } {
  const raw = request.query.get('limit');
  const limit = raw === null ? 50 : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new HttpProblem(400, 'Bad Request', 'limit must be an integer from 1 to 500.', {
      errors: [{ path: 'limit', message: 'must be 1..500' }],
    });
  }
  return { limit, continuationToken: request.query.get('continuationToken') ?? undefined };
}
