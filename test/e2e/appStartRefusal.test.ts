import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrive } from '../../domain/incidents/arrival';
import { ticketEventSchema } from '../../domain/incidents/ticketEvent';
import { acceptWorkOrder } from '../../domain/workOrder/workOrderView';
import type { RunningAzurite } from '../../infra/local/azurite';
import { migrateIncidentPartitions } from '../../infra/tables/incidentPartitionMigration';
import { startTestAzurite } from '../support/azurite';
import { startHostProcess } from '../support/hostProcess';
import { startRefusingStorageProxy } from '../support/refusingStorageProxy';
import { baseContext, incidentOpenedBody } from '../support/incidentFixtures';
import { IncidentTableBeforePartitions } from '../support/incidentTableBeforePartitions';
import { csam } from '../support/principals';
import { WorkOrderTable } from '../../infra/tables/workOrderTable';
import { workOrderBody } from '../support/workOrderFixtures';

/**
 * A failing appStart hook stops the local host before it serves anything (as it fails the worker's start in Azure),
 * with the hook's message: for any app, and for this one on a store written before incident partitions (issue 18).
 */
describe('the local host refuses to start when the app’s appStart hook fails', () => {
  let azurite: RunningAzurite;
  beforeAll(async () => {
    azurite = await startTestAzurite();
  });
  afterAll(async () => azurite?.stop());

  const refusal = (start: Promise<unknown>) =>
    start.then(
      () => {
        throw new Error('the host started');
      },
      (error: unknown) => (error as Error).message,
    );

  it('any app: exit code 1, the hook’s message, no stack trace', async () => {
    const message = await refusal(
      startHostProcess({
        app: 'test/fixtures/failingStartApp/index.js',
        storageConnectionString: azurite.connectionString,
        startTimeoutMs: 20_000,
      }),
    );
    expect(message).toContain('The host exited (1)');
    expect(message).toContain(
      'The app refused to start (its appStart hook failed): Storage is not ready for this build: run `npm run make-ready` first.',
    );
    expect(message).not.toMatch(/^\s+at /m);
  });

  it('this app on a store with incidents in the old layout: names the migration; starts once it has run', async () => {
    const prefix = 'Refusal';
    const table = TableClient.fromConnectionString(azurite.connectionString, `${prefix}WorkOrders`, {
      allowInsecureConnection: true,
    });
    await table.createTable();
    await new WorkOrderTable(table).create(
      acceptWorkOrder(workOrderBody({ number: 'WO-old' }), { id: 'wo-old', asOf: '2026-12-15' }),
      { timeline: [] },
    );
    const event = ticketEventSchema.parse(incidentOpenedBody('wo-old', 'INC-OLD', '2027-03-02T09:00:00Z'));
    const kept = { event, receivedAt: event.occurredAt, messageId: 'msg-open' };
    const arrival = arrive({ record: undefined, arriving: kept, openerContext: baseContext });
    await new IncidentTableBeforePartitions(table).keep(arrival.record, kept, {
      opened: true,
      timeline: arrival.timeline,
    });
    const options = {
      storageConnectionString: azurite.connectionString,
      env: { TABLE_NAME_PREFIX: prefix },
      startTimeoutMs: 30_000,
    };

    const message = await refusal(startHostProcess(options));
    expect(message).toContain('The host exited (1)');
    expect(message).toContain('incident INC-OLD of Work Order wo-old');
    expect(message).toContain('Run `npm run migrate:incidents` once with the app stopped');

    expect((await migrateIncidentPartitions(table)).layoutMarked).toBe(true);
    const host = await startHostProcess(options);
    try {
      const response = await host.get('/api/incidents/INC-OLD', csam);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ incidentId: 'INC-OLD', workOrderId: 'wo-old' });
    } finally {
      await host.stop();
    }
  });

  it('this app when storage refuses the check: says which table it could not check, and why', async () => {
    const proxy = await startRefusingStorageProxy(azurite.connectionString);
    try {
      proxy.refuse(1, ({ method, url }) => method === 'GET' && url.includes('incidents'));
      const message = await refusal(
        startHostProcess({
          storageConnectionString: proxy.connectionString,
          env: { TABLE_NAME_PREFIX: 'Refused' },
          startTimeoutMs: 30_000,
        }),
      );
      expect(proxy.refused).toBe(1);
      expect(message).toContain(
        'The app refused to start (its appStart hook failed): Could not check the storage layout of table RefusedWorkOrders: 403 ',
      );
      expect(message).toContain('AuthorizationFailure');
    } finally {
      proxy.close();
    }
  });
});
