import { describe, expect, it } from 'vitest';
import {
  BindingExpressionError,
  bindingDataOf,
  resolveBindingExpression,
} from '../../infra/local/storagebindings/bindingData';
import { queueSettings } from '../../infra/local/storagebindings/queueBindings';

const now = new Date('2027-03-01T08:09:10.123Z');

describe('local host: storage binding expressions and queue settings', () => {
  it('resolves trigger data case-insensitively and by dotted path, app settings, and the system expressions', () => {
    process.env['BACKUP_CONTAINER'] = 'backups';
    const data = bindingDataOf(
      { json: JSON.stringify({ backupPath: 'css/site.css', order: { sku: 'SKU-7' } }) },
      {
        DequeueCount: { json: '2' },
        Id: { string: 'm-1' },
      },
    );
    expect(resolveBindingExpression('%BACKUP_CONTAINER%/{BackupPath}', data, now)).toBe('backups/css/site.css');
    expect(resolveBindingExpression('catalog/{order.sku}-{dequeueCount}-{id}.json', data, now)).toBe(
      'catalog/SKU-7-2-m-1.json',
    );
    expect(resolveBindingExpression('logs/{DateTime}', data, now)).toBe('logs/2027-03-01T08-09-10Z');
    expect(resolveBindingExpression('x/{rand-guid}', data, now)).toMatch(/^x\/[0-9a-f-]{36}$/);
    expect(() => resolveBindingExpression('x/{missing}', data, now)).toThrow(BindingExpressionError);
    expect(() => resolveBindingExpression('x/{missing}', data, now)).toThrow(/No value for named parameter 'missing'/);
  });

  it('takes route parameters, Query and a JSON body from an HTTP trigger', () => {
    const data = bindingDataOf(
      {
        http: {
          nullableParams: { id: { value: '42' } },
          nullableQuery: { name: { value: 'ada' } },
          nullableHeaders: {},
          body: { bytes: new Uint8Array(Buffer.from('{"kind":"report"}')) },
        },
      },
      undefined,
    );
    expect(resolveBindingExpression('out/{id}/{Query.name}/{kind}.txt', data, now)).toBe('out/42/ada/report.txt');
  });

  it('reads host.json extensions.queues with the Storage extension defaults (maxDequeueCount 5, visibility 0, base64)', () => {
    expect(queueSettings(undefined)).toEqual({
      batchSize: 16,
      newBatchThreshold: 8,
      maxDequeueCount: 5,
      visibilityTimeoutSeconds: 0,
      maxPollingIntervalMs: 60_000,
      messageEncoding: 'base64',
    });
    expect(
      queueSettings({
        maxDequeueCount: 3,
        visibilityTimeout: '00:00:30',
        maxPollingInterval: 2000,
        messageEncoding: 'none',
        batchSize: 64,
      }),
    ).toMatchObject({
      maxDequeueCount: 3,
      visibilityTimeoutSeconds: 30,
      maxPollingIntervalMs: 2000,
      messageEncoding: 'none',
      batchSize: 32,
    });
  });
});
