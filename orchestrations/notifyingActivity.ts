import * as df from 'durable-functions';
import type { Notification, Services } from '../app/services';
import { lifecycleNotifications } from '../infra/messaging/lifecycleNotifications';

/** What a use case run by an activity returns: a notification to send, or that and the activity's output. */
export type ActivityOutcome = Notification | null | void | { notification: Notification | null; output: unknown };

/**
 * Registers an activity as a thin adapter: it runs one use case on `services` (built at start-up by the entry point),
 * sends the notification the use case returns, if any, to `lifecycle-notifications`, and returns the use case's output.
 */
export function notifyingActivity<I>(
  services: Services,
  name: string,
  run: (services: Services, input: I) => Promise<ActivityOutcome>,
): void {
  df.app.activity(name, {
    extraOutputs: [lifecycleNotifications],
    handler: async (input: I, context) => {
      const outcome = await run(services, input);
      const { notification, output } =
        outcome && !('notificationId' in outcome) ? outcome : { notification: outcome ?? null, output: undefined };
      if (notification) context.extraOutputs.set(lifecycleNotifications, notification);
      return output;
    },
  });
}
