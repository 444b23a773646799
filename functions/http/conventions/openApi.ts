import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ID_PATTERN, MAX_PATH_ID_LENGTH } from '../../../domain/input';

extendZodWithOpenApi(z);

/** What an endpoint tells the OpenAPI document beyond its method, route and body. */
export interface EndpointDocumentation {
  /** One line; cite the rule IDs the endpoint enforces. */
  summary: string;
  /** Documented query parameters (each optional unless its schema says otherwise). */
  query?: Record<string, z.ZodType>;
  /** The success status and the problem statuses the endpoint can answer. */
  responses: { status: number; description?: string; errors: readonly number[] };
  /** Roles that may call it (documented as `x-roles`; tests derive their expectations from it). */
  roles?: readonly string[];
}

/** Each endpoint registers its own path here (through `endpoint()`), with the zod schemas it validates with. */
const registry = new OpenAPIRegistry();

registry.registerComponent('securitySchemes', 'EasyAuth', {
  type: 'apiKey',
  in: 'header',
  name: 'x-ms-client-principal',
  description: 'Set by Azure App Service Authentication: base64 JSON with `roles` and `customer_id` claims.',
});

const problem = registry.register(
  'Problem',
  z.object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string(),
    rule: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
);

/** Any other path id answers 404 before storage (api-contract Conventions). */
const pathId = z.string().min(1).max(MAX_PATH_ID_LENGTH).regex(ID_PATTERN);

/** `work-orders/{id}` (an Azure route template) → `/work-orders/{id}` and its path parameters. */
function openApiPath(route: string): { path: string; params: string[] } {
  const params: string[] = [];
  const path = route.replace(/\{\*?([A-Za-z0-9_]+)[^}]*\}/g, (_m, name: string) => {
    params.push(name);
    return `{${name}}`;
  });
  return { path: `/${path}`, params };
}

export function documentEndpoint(
  operationId: string,
  method: string,
  route: string,
  body: z.ZodType | undefined,
  doc: EndpointDocumentation,
): void {
  const { path, params } = openApiPath(route);
  registry.registerPath({
    operationId,
    method: method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete',
    path,
    summary: doc.summary,
    ...(doc.roles ? { 'x-roles': [...doc.roles] } : {}),
    request: {
      ...(params.length ? { params: z.object(Object.fromEntries(params.map((p) => [p, pathId]))) } : {}),
      ...(doc.query ? { query: z.object(doc.query) } : {}),
      ...(body ? { body: { content: { 'application/json': { schema: body } } } } : {}),
    },
    responses: {
      [doc.responses.status]: {
        description: doc.responses.description ?? doc.summary,
        content: { 'application/json': { schema: z.object({}).loose() } },
      },
      ...Object.fromEntries(
        doc.responses.errors.map((code) => [
          code,
          { description: 'Problem details', content: { 'application/problem+json': { schema: problem } } },
        ]),
      ),
    },
  });
}

export function openApiDocument() {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'unified-support-lifecycle',
      version: '1.0.0',
      description:
        'Work Orders, entitlements and durable SLA clocks for Unified Support contracts (api-contract.md, version 1).',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/api' }],
    security: [{ EasyAuth: [] }],
  });
}
