import fc from 'fast-check';
import { FLEX_YEAR_1, principalHeader, workOrderBody } from './support';

export { principalHeader };

/**
 * The HTTP surface as the served OpenAPI document describes it (GET /api/openapi.json), for tests and benches that
 * must cover every operation without anyone listing them: the tenant-isolation matrix and the HTTP fuzz.
 */

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
  propertyNames?: JsonSchema;
};

export interface Operation {
  operationId: string;
  method: string;
  /** The path under /api, e.g. `/work-orders/{id}`. */
  path: string;
  params: string[];
  query: Record<string, JsonSchema>;
  body?: JsonSchema;
  /** The roles the endpoint admits (`x-roles`). */
  roles: string[];
}

interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}
interface RawOperation {
  operationId?: string;
  'x-roles'?: string[];
  parameters?: Array<{ name: string; in: string; schema?: JsonSchema }>;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

/** Paths that are served to anyone (the document itself and the operator page's static files). */
export const isStaticPath = (path: string) => path === '/openapi.json' || path === '/ui' || path.startsWith('/ui/');

/** Every operation of the served document except the static ones, with `$ref`s resolved. */
export async function operationsOf(base: string): Promise<Operation[]> {
  const response = await fetch(`${base}/api/openapi.json`);
  if (!response.ok) throw new Error(`GET /api/openapi.json answered ${response.status}`);
  const doc = (await response.json()) as OpenApiDocument;
  const resolve = (schema: JsonSchema | undefined, depth = 0): JsonSchema | undefined => {
    if (!schema || depth > 20) return schema;
    if (schema.$ref) return resolve(doc.components?.schemas?.[schema.$ref.split('/').at(-1) ?? ''], depth + 1);
    const out: JsonSchema = { ...schema };
    if (schema.properties)
      out.properties = Object.fromEntries(
        Object.entries(schema.properties).map(([k, v]) => [k, resolve(v, depth + 1) ?? {}]),
      );
    if (schema.items) out.items = resolve(schema.items, depth + 1);
    if (typeof schema.additionalProperties === 'object')
      out.additionalProperties = resolve(schema.additionalProperties, depth + 1);
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const)
      if (schema[key]) out[key] = schema[key].map((s) => resolve(s, depth + 1) ?? {});
    return out;
  };
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    if (isStaticPath(path)) continue;
    for (const [method, op] of Object.entries(methods)) {
      const parameters = op.parameters ?? [];
      operations.push({
        operationId: op.operationId ?? `${method} ${path}`,
        method: method.toUpperCase(),
        path,
        params: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string),
        query: Object.fromEntries(
          parameters.filter((p) => p.in === 'query').map((p) => [p.name, resolve(p.schema) ?? {}]),
        ),
        body: resolve(op.requestBody?.content?.['application/json']?.schema),
        roles: op['x-roles'] ?? [],
      });
    }
  }
  return operations;
}

/** The ids of one customer's seeded resources, by the path segment that names their kind. */
export interface Tenant {
  customerId: string;
  workOrderId: string;
  serviceRequestId: string;
  incidentId: string;
  aemEventId: string;
  cyberEngagementId: string;
  swapId: string;
  lifecycleId: string;
}

/**
 * Seeds, for one customer, a Work Order with a service request, an incident, an AEM event, a cybersecurity engagement
 * and a swap (the host's clock must be at 2027-02-01 or near it).
 */
export async function seedTenant(base: string, customerId: string, tag: string): Promise<Tenant> {
  const csam = principalHeader(['Provider.Csam']);
  const manager = principalHeader(['Customer.Manager'], customerId);
  const post = async (path: string, body: unknown, headers: Record<string, string>) => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`seeding ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as { id: string; lifecycleId?: string };
  };
  const workOrder = await post(
    '/api/work-orders',
    workOrderBody({
      customerId,
      number: `WO-${tag}`,
      flexAllocations: FLEX_YEAR_1,
      entitlements: [
        { serviceCode: 'UER' },
        { serviceCode: 'AEM', quantity: 3 },
        { serviceCode: 'EDE', hours: 400 },
        { serviceCode: 'WORKSHOP', quantity: 2 },
        { serviceCode: 'CYBER_INCIDENT_RESPONSE', days: 10 },
      ],
    }),
    csam,
  );
  const id = workOrder.id;
  const request = await post(
    `/api/work-orders/${id}/service-requests`,
    { serviceCode: 'WORKSHOP', startDate: '2027-05-10', days: 1, price: 4000, fundedBy: 'entitlement' },
    manager,
  );
  const aem = await post(
    `/api/work-orders/${id}/aem-events`,
    { solutionName: 'checkout', cloud: 'AzurePublic', start: '2027-06-01', days: 2, confirmedAt: '2027-02-01' },
    manager,
  );
  const cyber = await post(
    `/api/work-orders/${id}/cyber-engagements`,
    { offering: 'CYBER_INCIDENT_RESPONSE', start: '2027-04-05', days: 5, timeZone: 'Europe/Amsterdam' },
    manager,
  );
  const swap = await post(
    `/api/work-orders/${id}/swaps`,
    { from: 'EDE', to: 'DESIGNATED_ENGINEERING', hours: 8, fundedBy: 'flex', country: 'NL' },
    manager,
  );
  const incidentId = `INC-${tag}`;
  const enqueued = await fetch(`${base}/admin/servicebus/ticket-events/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      messageId: `evt-open-${tag}`,
      body: {
        eventId: `evt-open-${tag}`,
        type: 'IncidentOpened',
        occurredAt: '2027-02-01T09:00:00Z',
        incidentId,
        workOrderId: id,
        severity: 'B',
        product: { family: 'Azure', service: 'Azure SQL Database' },
        channel: 'web',
        description: 'seeded',
        location: 'NL',
      },
    }),
  });
  if (enqueued.status !== 202) throw new Error(`enqueue answered ${enqueued.status}`);
  await fetch(`${base}/admin/settle`, { method: 'POST' });
  const incident = await fetch(`${base}/api/incidents/${incidentId}`, { headers: csam });
  if (!incident.ok) throw new Error(`the seeded incident answered ${incident.status}`);
  return {
    customerId,
    workOrderId: id,
    serviceRequestId: request.id,
    incidentId,
    aemEventId: aem.id,
    cyberEngagementId: cyber.id,
    swapId: swap.id,
    lifecycleId: workOrder.lifecycleId ?? `unknown-${tag}`,
  };
}

/** Which seeded id a path parameter names: by its name, else by the path segment before it. */
export function paramValue(op: Operation, param: string, tenant: Tenant): string {
  if (param === 'incidentId') return tenant.incidentId;
  if (param === 'instanceId') return tenant.lifecycleId;
  if (param === 'serviceCode') return 'EDE';
  const segments = op.path.split('/');
  const before = segments[segments.indexOf(`{${param}}`) - 1];
  const byKind: Record<string, string> = {
    'work-orders': tenant.workOrderId,
    'service-requests': tenant.serviceRequestId,
    incidents: tenant.incidentId,
    'aem-events': tenant.aemEventId,
    'cyber-engagements': tenant.cyberEngagementId,
    swaps: tenant.swapId,
    lifecycles: tenant.lifecycleId,
  };
  return byKind[before ?? ''] ?? `no-such-${param}`;
}

export function pathWith(op: Operation, value: (param: string) => string): string {
  return `/api${op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => value(name))}`;
}

const DATE_MIN = new Date('2026-01-01T00:00:00Z');
const DATE_MAX = new Date('2031-12-31T00:00:00Z');

/**
 * A fast-check arbitrary of values that fit a JSON Schema of the document (enums, patterns, bounds, formats,
 * required and optional properties, unions): the bodies and query values a well-behaved client would send.
 */
export function arbitraryFor(schema: JsonSchema | undefined): fc.Arbitrary<unknown> {
  if (!schema || Object.keys(schema).length === 0) return fc.jsonValue({ maxDepth: 2 });
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return fc.oneof(...union.map(arbitraryFor));
  if (schema.allOf) return arbitraryFor(Object.assign({}, ...schema.allOf) as JsonSchema);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const properties = schema.properties ?? {};
      const required = Object.keys(properties).filter((k) => schema.required?.includes(k));
      if (Object.keys(properties).length === 0 && typeof schema.additionalProperties === 'object')
        return fc.dictionary(
          arbitraryFor(schema.propertyNames ?? { type: 'string', maxLength: 20 }) as fc.Arbitrary<string>,
          arbitraryFor(schema.additionalProperties),
          { maxKeys: 3 },
        );
      return fc.record(Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, arbitraryFor(v)])), {
        requiredKeys: required,
      });
    }
    case 'array':
      return fc.array(arbitraryFor(schema.items), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 5, 5),
      });
    case 'string': {
      if (schema.format === 'date')
        return fc.date({ min: DATE_MIN, max: DATE_MAX, noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      if (schema.format === 'date-time')
        return fc.date({ min: DATE_MIN, max: DATE_MAX, noInvalidDate: true }).map((d) => d.toISOString());
      const min = schema.minLength ?? 0;
      const max = schema.maxLength ?? 40;
      if (schema.pattern)
        return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= min && s.length <= max);
      return fc.string({ minLength: min, maxLength: Math.min(max, Math.max(min, 40)) });
    }
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1e6);
      const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 1e6);
      return type === 'integer'
        ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
        : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}
