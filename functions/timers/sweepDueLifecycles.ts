import * as df from 'durable-functions';
import type { Services } from '../../app/services';
import * as sweep from '../../app/sweepDueLifecycles';
import { durableLifecycles } from '../../orchestrations/durableLifecycles';

/** Daily at 02:30 UTC: the due-date index sweep (app/sweepDueLifecycles.ts). */
export const sweepDueLifecycles =
  (services: Services): df.TimerDurableClientHandler =>
  (_timer, client, context) =>
    sweep.sweepDueLifecycles(services, durableLifecycles(client), (line) => context.log(line));

/** Registers the trigger with the host, on the services the entry point built. */
export function registerSweepDueLifecycles(services: Services): void {
  df.app.client.timer('sweepDueLifecycles', { schedule: '0 30 2 * * *', handler: sweepDueLifecycles(services) });
}
