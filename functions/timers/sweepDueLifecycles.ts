import * as df from 'durable-functions';
import * as sweep from '../../app/sweepDueLifecycles';
import { services } from '../../infra/compositionRoot';
import { durableLifecycles } from '../../orchestrations/durableLifecycles';

/** Daily at 02:30 UTC: the due-date index sweep (app/sweepDueLifecycles.ts). */
export const sweepDueLifecycles: df.TimerDurableClientHandler = (_timer, client, context) =>
  sweep.sweepDueLifecycles(services(), durableLifecycles(client), (line) => context.log(line));

df.app.client.timer('sweepDueLifecycles', { schedule: '0 30 2 * * *', handler: sweepDueLifecycles });
