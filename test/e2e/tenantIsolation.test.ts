import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  arbitraryFor,
  operationsOf,
  paramValue,
  pathWith,
  principalHeader,
  seedTenant,
  type Operation,
  type Tenant,
} from '../../bench/apiSurface';
import type { RunningAzurite } from '../../infra/local/azurite';
import { startTestAzurite } from '../support/azurite';
import { startHostProcess, type HostProcess } from '../support/hostProcess';

/**
 * The tenant-isolation matrix (api-contract Conventions): every operation of the served OpenAPI document × six
 * callers. Nothing lists the endpoints: a new one is covered as soon as it is in the document.
 */
const CALLERS = {
  'no principal': {},
  'garbage header': { 'x-ms-client-principal': 'not//base64{json' },
  'Customer.* without customer_id': principalHeader(['Customer.Manager', 'Customer.Reader']),
  'Reader of the owner': principalHeader(['Customer.Reader'], 'contoso'),
  'another customer': principalHeader(['Customer.Manager', 'Customer.Reader'], 'fabrikam'),
  CSAM: principalHeader(['Provider.Csam']),
} as const;
type Caller = keyof typeof CALLERS;

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

describe('tenant isolation over every operation of the OpenAPI document', () => {
  let azurite: RunningAzurite;
  let host: HostProcess;
  let operations: Operation[];
  let owner: Tenant;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    host = await startHostProcess({
      storageConnectionString: azurite.connectionString,
      clockStart: '2027-02-01T09:00:00Z',
    });
    operations = await operationsOf(host.url);
    owner = await seedTenant(host.url, 'contoso', 'A');
  });
  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
  });

  const call = async (op: Operation, path: string, headers: Record<string, string>): Promise<Answer> => {
    // A body that fits the operation's schema (fixed seed), so a caller gets past validation to the resource.
    const body = op.body ? fc.sample(arbitraryFor(op.body), { numRuns: 1, seed: 12 })[0] : undefined;
    const response = await fetch(`${host.url}${path}`, {
      method: op.method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      text: await response.text(),
    };
  };

  /** What a caller must get, or a reason; derived from the operation's roles (x-roles) and its path. */
  const judge = (op: Operation, caller: Caller, answer: Answer, missing?: Answer): string | undefined => {
    if (answer.status >= 500) return `5xx: ${answer.text}`;
    if (answer.status >= 400 && !answer.contentType.includes('application/problem+json'))
      return `${answer.status} without problem+json`;
    const allows = (...roles: string[]) => roles.some((r) => op.roles.includes(r));
    switch (caller) {
      case 'no principal':
      case 'garbage header':
        return answer.status === 401 ? undefined : `expected 401, got ${answer.status}`;
      case 'Customer.* without customer_id':
        return answer.status === 403 ? undefined : `expected 403, got ${answer.status}`;
      case 'Reader of the owner':
        if (!allows('Customer.Reader')) return answer.status === 403 ? undefined : `expected 403, got ${answer.status}`;
        return [401, 403].includes(answer.status) ? `a reader of its own data got ${answer.status}` : undefined;
      case 'another customer': {
        if (!allows('Customer.Manager', 'Customer.Reader'))
          return answer.status === 403 ? undefined : `expected 403, got ${answer.status}`;
        const leaked = [
          owner.customerId,
          owner.workOrderId,
          owner.serviceRequestId,
          owner.aemEventId,
          owner.cyberEngagementId,
          owner.swapId,
        ].filter((secret) => answer.text.includes(secret));
        if (op.params.length === 0) return leaked.length ? `leaks ${leaked.join(', ')}` : undefined;
        if (answer.status < 400) return `another customer's resource answered ${answer.status}`;
        const normalise = (a: Answer) => {
          const { status, detail, title } = JSON.parse(a.text) as { status: number; detail: string; title: string };
          return {
            status,
            title,
            detail: detail.replace(/[A-Za-z0-9_.:-]*(no-such|missing)[A-Za-z0-9_.:-]*/g, '{id}'),
          };
        };
        const asMissing = missing && normalise(missing);
        const asForeign = normalise({ ...answer, text: ownIdsReplaced(answer.text) });
        return JSON.stringify(asForeign) === JSON.stringify(asMissing)
          ? undefined
          : `answers ${JSON.stringify(asForeign)} where a missing one answers ${JSON.stringify(asMissing)}`;
      }
      case 'CSAM':
        if (!allows('Provider.Csam')) return answer.status === 403 ? undefined : `expected 403, got ${answer.status}`;
        return [401, 403].includes(answer.status) ? `the provider got ${answer.status}` : undefined;
    }
  };

  const ownIdsReplaced = (text: string) =>
    [
      owner.workOrderId,
      owner.serviceRequestId,
      owner.incidentId,
      owner.aemEventId,
      owner.cyberEngagementId,
      owner.swapId,
      owner.lifecycleId,
    ].reduce((t, id) => t.split(id).join('missing-id'), text);

  it('answers every operation × caller as the contract says (401, 403, 404 as if missing, no 5xx)', async () => {
    expect(operations.length).toBeGreaterThan(20);
    const failures: string[] = [];
    let cells = 0;
    // The provider writes last: its changes (a termination) must not hide what the others would see.
    for (const caller of Object.keys(CALLERS) as Caller[]) {
      for (const op of operations) {
        const path = pathWith(op, (p) => paramValue(op, p, owner));
        const answer = await call(op, path, CALLERS[caller]);
        const missing =
          caller === 'another customer' && op.params.length > 0
            ? await call(
                op,
                pathWith(op, (p) => (p === 'serviceCode' ? 'EDE' : `missing-${p}`)),
                CALLERS[caller],
              )
            : undefined;
        cells++;
        const why = judge(op, caller, answer, missing);
        if (why) failures.push(`${op.method} ${op.path} as ${caller}: ${why}`);
      }
    }
    console.log(
      `tenant-isolation matrix: ${operations.length} operations × ${Object.keys(CALLERS).length} callers = ${cells} cells, ${failures.length} failures`,
    );
    expect(failures).toEqual([]);
  }, 180_000);
});
