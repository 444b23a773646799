import * as df from 'durable-functions';
import * as cyberEngagements from '../../app/cyberEngagements';
import type { Services } from '../../app/services';
import { CYBER_ACTIVITIES } from '../../domain/cyber/cyberRecord';
import { notifyingActivity } from '../notifyingActivity';

/** Registers the activities with the host, each on the services the entry point built. */
export function registerCyberEngagementActivities(services: Services): void {
  df.app.activity(CYBER_ACTIVITIES.dayDelivered, {
    handler: (step: cyberEngagements.CyberStep) => cyberEngagements.recordCyberDayDelivered(services, step), // rule CYB-3
  });
  notifyingActivity(services, CYBER_ACTIVITIES.close, cyberEngagements.closeCyberEngagement); // rule CYB-5
  notifyingActivity(services, CYBER_ACTIVITIES.lapse, cyberEngagements.lapseCyberDeliverables); // rule CYB-5
  df.app.activity(CYBER_ACTIVITIES.cancel, {
    handler: (input: { resourceId: string; workOrderId: string; at: string; reason: string | null }) =>
      cyberEngagements.cancelCyberEngagement(services, input), // rule ENT-1
  });
}
