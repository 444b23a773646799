import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAzurite } from '../../infra/local/azurite';
import { startTestAzurite } from '../support/azurite';
import { startHostProcess, type HostProcess } from '../support/hostProcess';

// An app laid out as the durable-functions samples-ts app after `tsc` (package.json main: dist/functions/*.js),
// started as a user would: `npm start -- --app <its folder>`.
const app = 'test/fixtures/samplesApp';

interface CheckStatus {
  id: string;
  statusQueryGetUri: string;
}

interface Status {
  runtimeStatus: string;
  output: unknown;
}

let azurite: RunningAzurite;
let host: HostProcess;

async function start(orchestrator: string, input?: unknown): Promise<CheckStatus> {
  const response = await host.post(`/api/orchestrators/${orchestrator}`, input);
  expect(response.status).toBe(202);
  return (await response.json()) as CheckStatus;
}

async function finished(check: CheckStatus): Promise<Status> {
  for (let i = 0; i < 200; i++) {
    await host.settle();
    const status = (await (await fetch(check.statusQueryGetUri)).json()) as Status;
    if (!['Pending', 'Running'].includes(status.runtimeStatus)) return status;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${check.id} did not finish`);
}

describe('local host: an app folder whose package.json main is a glob', () => {
  beforeAll(async () => {
    azurite = await startTestAzurite();
    host = await startHostProcess({ app, storageConnectionString: azurite.connectionString });
  });

  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
  });

  it('loads every file the glob matches and runs the function-chaining sample', async () => {
    const done = await finished(await start('helloSequence'));
    expect(done).toMatchObject({ runtimeStatus: 'Completed', output: ['Hello Tokyo', 'Hello Seattle', 'Hello Cairo'] });
  });
});
