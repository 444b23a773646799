import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../infra/config';
import type { RunningAzurite } from '../../infra/local/azurite';
import { startTestAzurite } from '../support/azurite';
import { startHostProcess, type HostProcess } from '../support/hostProcess';
import { csam, manager, principal } from '../support/principals';
import { workOrderBody } from '../support/workOrderFixtures';

const storage = { AzureWebJobsStorage: 'UseDevelopmentStorage=true' };

describe('identity fails closed (api-contract Conventions)', () => {
  it('trusts the principal header outside Azure, and in Azure only with App Service Authentication enabled', () => {
    expect(parseConfig(storage).principalHeaderTrusted).toBe(true);
    expect(parseConfig({ ...storage, WEBSITE_INSTANCE_ID: 'abc' }).principalHeaderTrusted).toBe(false);
    expect(
      parseConfig({ ...storage, WEBSITE_INSTANCE_ID: 'abc', WEBSITE_AUTH_ENABLED: 'False' }).principalHeaderTrusted,
    ).toBe(false);
    expect(
      parseConfig({ ...storage, WEBSITE_INSTANCE_ID: 'abc', WEBSITE_AUTH_ENABLED: 'True' }).principalHeaderTrusted,
    ).toBe(true);
  });

  describe('a host that runs "in Azure" without App Service Authentication', () => {
    let azurite: RunningAzurite;
    let host: HostProcess;
    beforeAll(async () => {
      azurite = await startTestAzurite();
      host = await startHostProcess({
        storageConnectionString: azurite.connectionString,
        env: { WEBSITE_INSTANCE_ID: 'instance-1', WEBSITE_AUTH_ENABLED: 'False' },
      });
    });
    afterAll(async () => {
      await host?.stop();
      await azurite?.stop();
    });

    it('answers 401 to every /api request, whatever principal it forges; only the OpenAPI document is served', async () => {
      const forged = principal(['Provider.Csam']);
      for (const response of [
        await host.get('/api/work-orders', forged),
        await host.post('/api/work-orders', workOrderBody(), forged),
        await host.get('/api/work-orders/some-id', manager('contoso')),
        await host.get('/api/ingestion/rejections', csam),
      ]) {
        expect(response.status).toBe(401);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
      }
      expect((await host.get('/api/openapi.json')).status).toBe(200);
    });
  });
});
