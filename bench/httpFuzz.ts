import http from 'node:http';
import fc from 'fast-check';
import {
  arbitraryFor,
  operationsOf,
  paramValue,
  pathWith,
  principalHeader,
  seedTenant,
  type Operation,
  type Tenant,
} from './apiSurface';
import { startAzuriteAndHost } from './support';

/**
 * A fast-check fuzz over every operation of the served OpenAPI document: ids, bodies, principals and query strings,
 * from well-formed to hostile. What must hold (api-contract Conventions): no answer is 5xx and every 4xx is
 * problem+json with its status.
 */

export interface FuzzFigures {
  operations: number;
  requests: number;
  byStatus: Record<string, number>;
  serverErrors: number;
  nonProblemErrors: number;
  /** The first few offending requests, to reproduce. */
  examples: string[];
}

interface FuzzRequest {
  op: Operation;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: string | undefined;
}

const ROLES = ['Customer.Manager', 'Customer.Reader', 'Provider.Csam'];

const principalArbitrary = (tenant: Tenant): fc.Arbitrary<Record<string, string>> =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constant({}) },
    {
      weight: 8,
      arbitrary: fc.constantFrom(
        principalHeader(['Provider.Csam']),
        principalHeader(['Customer.Manager'], tenant.customerId),
        principalHeader(['Customer.Reader'], tenant.customerId),
        principalHeader(['Customer.Manager', 'Customer.Reader'], 'fabrikam'),
      ),
    },
    fc
      .record({
        roles: fc.subarray([...ROLES, 'Admin', 'provider.csam', '']),
        customerId: fc.option(fc.oneof(fc.constant(tenant.customerId), fc.string({ maxLength: 300 })), {
          nil: undefined,
        }),
      })
      .map(({ roles, customerId }) => principalHeader(roles, customerId)),
    // Hostile headers: not base64, base64 of anything JSON, claims of the wrong shape.
    fc.string({ maxLength: 200 }).map((raw) => ({ 'x-ms-client-principal': raw.replace(/[\r\n]/g, '') })),
    fc.jsonValue({ maxDepth: 3 }).map((value) => ({
      'x-ms-client-principal': Buffer.from(JSON.stringify(value) ?? 'null').toString('base64'),
    })),
    fc
      .array(fc.record({ typ: fc.constantFrom('roles', 'customer_id', 'name'), val: fc.jsonValue() }), {
        maxLength: 4,
      })
      .map((claims) => ({ 'x-ms-client-principal': Buffer.from(JSON.stringify({ claims })).toString('base64') })),
  );

/** Ids: the seeded ones, well-formed made-up ones, and everything an id must not be. */
const idArbitrary = (op: Operation, param: string, tenant: Tenant): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(encodeURIComponent(paramValue(op, param, tenant))) },
    { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.:-]{1,170}$/) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 }).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.constantFrom('%zz', '%E0%A4%A', '%', '..', '.', '%2e%2e', 'a%00b', '%2F') },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 2000 }).map(encodeURIComponent) },
  );

/** Query strings: the documented parameters with fitting or hostile values, paging tokens the API never issued. */
const queryArbitrary = (op: Operation): fc.Arbitrary<string> => {
  const hostile = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.integer().map(String),
    fc.base64String({ maxLength: 200 }),
    fc
      .record({ nextPartitionKey: fc.jsonValue(), nextRowKey: fc.option(fc.jsonValue(), { nil: undefined }) })
      .map((t) => Buffer.from(JSON.stringify(t)).toString('base64')),
  );
  const entries = Object.entries(op.query).map(([name, schema]) =>
    fc
      .option(
        fc.oneof(
          arbitraryFor(schema).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
          hostile,
        ),
        {
          nil: undefined,
        },
      )
      .map((value) => (value === undefined ? '' : `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)),
  );
  return fc
    .tuple(fc.tuple(...entries), fc.option(fc.tuple(fc.string({ maxLength: 20 }), hostile), { nil: undefined }))
    .map(([parts, extra]) =>
      [...parts, ...(extra ? [`${encodeURIComponent(extra[0])}=${encodeURIComponent(extra[1])}`] : [])]
        .filter(Boolean)
        .join('&'),
    );
};

/** Bodies: fitting the schema, fitting but for one field, any JSON, not JSON at all, or none. */
const bodyArbitrary = (op: Operation): fc.Arbitrary<string | undefined> => {
  const fitting = arbitraryFor(op.body);
  return fc.oneof(
    { weight: 4, arbitrary: fitting.map((v) => JSON.stringify(v)) },
    {
      weight: 3,
      arbitrary: fc.tuple(fitting, fc.string({ maxLength: 30 }), fc.jsonValue()).map(([v, key, value]) => {
        if (v === null || typeof v !== 'object' || Array.isArray(v)) return JSON.stringify(value);
        const keys = Object.keys(v);
        const target = keys.length > 0 ? (keys[key.length % keys.length] as string) : key;
        return JSON.stringify({ ...v, [target]: value });
      }),
    },
    { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 500 }) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
};

function requestArbitrary(operations: Operation[], tenant: Tenant): fc.Arbitrary<FuzzRequest> {
  return fc.constantFrom(...operations).chain((op) =>
    fc
      .record({
        ids: fc.tuple(...op.params.map((p) => idArbitrary(op, p, tenant))),
        query: queryArbitrary(op),
        headers: principalArbitrary(tenant),
        body: op.method === 'GET' ? fc.constant(undefined) : bodyArbitrary(op),
        contentType: fc.constantFrom('application/json', 'text/plain', undefined),
      })
      .map(({ ids, query, headers, body, contentType }) => ({
        op,
        path: pathWith(op, (p) => ids[op.params.indexOf(p)] ?? p),
        query,
        headers: contentType && body !== undefined ? { ...headers, 'content-type': contentType } : headers,
        body,
      })),
  );
}

/** Runs `runs` fuzzed requests against a host whose clock is near 2027-02-01 (`concurrency` at a time). */
export async function httpFuzz(
  base: string,
  options: { runs: number; seed: number; concurrency?: number },
): Promise<FuzzFigures> {
  const operations = await operationsOf(base);
  const tenant = await seedTenant(base, 'contoso', `fuzz${options.seed}`);
  const requests = fc.sample(requestArbitrary(operations, tenant), { numRuns: options.runs, seed: options.seed });
  const figures: FuzzFigures = {
    operations: operations.length,
    requests: 0,
    byStatus: {},
    serverErrors: 0,
    nonProblemErrors: 0,
    examples: [],
  };
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const r = requests[next++] as FuzzRequest;
      const url = `${base}${r.path}${r.query ? `?${r.query}` : ''}`;
      let response: Answer;
      try {
        response = await send(url, r.op.method, r.headers, r.body);
      } catch (error) {
        // The host dropped the connection or did not answer: as bad as a 5xx.
        figures.requests++;
        figures.serverErrors++;
        figures.byStatus['dropped'] = (figures.byStatus['dropped'] ?? 0) + 1;
        if (figures.examples.length < 5)
          figures.examples.push(
            `${r.op.method} ${url.slice(0, 300)} ${JSON.stringify(r.headers).slice(0, 300)} body=${(r.body ?? '').slice(0, 300)} → ${String(error)}`,
          );
        continue;
      }
      const text = response.text;
      figures.requests++;
      figures.byStatus[response.status] = (figures.byStatus[response.status] ?? 0) + 1;
      const describe = () =>
        `${r.op.method} ${url.slice(0, 300)} ${JSON.stringify(r.headers).slice(0, 200)} body=${(r.body ?? '').slice(0, 300)} → ${response.status} ${text.slice(0, 300)}`;
      if (response.status >= 500) {
        figures.serverErrors++;
        if (figures.examples.length < 5) figures.examples.push(describe());
      } else if (response.status >= 400 && !isProblem(response, text)) {
        figures.nonProblemErrors++;
        if (figures.examples.length < 5) figures.examples.push(describe());
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 2 }, worker));
  return figures;
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/**
 * One request on its own connection, the path sent as generated (no client-side normalisation of `..` or `%`), so
 * what reaches the host is what the fuzz meant; no keep-alive race on a shared connection can pass for a host fault.
 */
function send(url: string, method: string, headers: Record<string, string>, body: string | undefined): Promise<Answer> {
  const { hostname, port } = new URL(url.slice(0, url.indexOf('/', 'http://'.length)));
  const path = url.slice(url.indexOf('/', 'http://'.length));
  return new Promise((resolve, reject) => {
    const request = http.request(
      { hostname, port, path, method, headers, agent: false, timeout: 10_000 },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: String(response.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error('no answer within 10 s')));
    request.on('error', reject);
    request.end(body);
  });
}

function isProblem(response: Answer, text: string): boolean {
  if (!response.contentType.includes('application/problem+json')) return false;
  try {
    const body = JSON.parse(text) as { status?: unknown; title?: unknown };
    return body.status === response.status && typeof body.title === 'string';
  } catch {
    return false;
  }
}

/** `npm run bench -- httpFuzz`: a long fuzz (default 20,000 requests) on a fresh Azurite and host. */
export async function benchHttpFuzz(runs = 20_000): Promise<Omit<FuzzFigures, 'examples'> & { examples?: string[] }> {
  const { base, stop } = await startAzuriteAndHost({ clockStart: '2027-02-01T09:00:00Z' });
  try {
    const started = Date.now();
    const figures = await httpFuzz(base, { runs, seed: Number(process.env['FUZZ_SEED'] ?? 20_270_201) });
    const { examples, ...rest } = figures;
    return { ...rest, seconds: (Date.now() - started) / 1000, ...(examples.length ? { examples } : {}) } as never;
  } finally {
    await stop();
  }
}
