import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repairFor, type DueItem } from '../../domain/lifecycle/dueIndex';
import type { RunningAzurite } from '../../infra/local/azurite';
import { DueIndexTable } from '../../infra/tables/dueIndexTable';
import { startTestAzurite } from '../support/azurite';

const item = (dueAt: string, resourceId: string): DueItem => ({
  dueAt,
  kind: 'flexPeriodEnded',
  resourceId,
  workOrderId: resourceId,
  instanceId: `work-order-term-${resourceId}`,
  orchestration: 'workOrderTerm',
  restartInput: { yearIndex: 0 },
  doneAt: null,
});

describe('due-date index on Table Storage (Azurite)', () => {
  let azurite: RunningAzurite;
  let index: DueIndexTable;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    const table = TableClient.fromConnectionString(azurite.connectionString, 'DueIndexTest', {
      allowInsecureConnection: true,
    });
    await table.createTable();
    index = new DueIndexTable(table);
  });
  afterAll(async () => azurite?.stop());

  it('lists only open items due in the range, reading the days of the range', async () => {
    await index.put([
      item('2027-12-31T23:00:00.000Z', 'a'),
      item('2028-01-01T10:00:00.000Z', 'b'),
      item('2028-03-01T00:00:00.000Z', 'later'),
    ]);
    await index.put([item('2027-12-31T23:00:00.000Z', 'a')]); // idempotent
    expect(
      (await index.listOpen('2027-12-31T00:00:00.000Z', '2028-01-02T00:00:00.000Z')).map((i) => i.resourceId),
    ).toEqual(['a', 'b']);
    await index.markDone(item('2027-12-31T23:00:00.000Z', 'a'), '2028-01-01T00:00:00.000Z');
    expect(
      (await index.listOpen('2027-12-31T00:00:00.000Z', '2028-01-02T00:00:00.000Z')).map((i) => i.resourceId),
    ).toEqual(['b']);
  });

  it('keeps the sweep cursor and the repairs it recorded', async () => {
    expect(await index.readCursor()).toBeNull();
    await index.writeCursor('2028-01-01T00:00:00.000Z');
    expect(await index.readCursor()).toBe('2028-01-01T00:00:00.000Z');
    const repair = repairFor(item('2028-01-01T10:00:00.000Z', 'b'), undefined, '2028-01-01T11:00:00.000Z')!;
    await index.recordRepair(repair);
    await index.recordRepair(repair);
    expect(await index.listRepairs()).toHaveLength(1);
  });
});

describe('sweep decisions', () => {
  const due = item('2028-01-01T10:00:00.000Z', 'x');
  it('restarts a lifecycle whose orchestration is missing or finished while its promise is open', () => {
    expect(repairFor(due, undefined, '2028-01-01T10:01:00.000Z')?.action).toBe('restarted');
    expect(repairFor(due, 'Terminated', '2028-01-01T10:01:00.000Z')?.action).toBe('restarted');
    expect(repairFor(due, 'Failed', '2028-01-01T10:01:00.000Z')?.action).toBe('restarted');
  });
  it('only notes an open item of a completed orchestration (it did its work; restarting would replay it)', () => {
    expect(repairFor(due, 'Completed', '2028-01-01T12:00:00.000Z')?.action).toBe('noted');
    expect(repairFor(due, 'Completed', '2028-01-01T10:30:00.000Z')).toBeNull();
  });
  it('leaves a running orchestration alone within the grace period, and notes one that is far behind', () => {
    expect(repairFor(due, 'Running', '2028-01-01T10:30:00.000Z')).toBeNull();
    expect(repairFor(due, 'Running', '2028-01-01T12:00:00.000Z')?.action).toBe('noted');
    expect(repairFor(due, undefined, '2028-01-01T09:00:00.000Z')).toBeNull();
  });
});
