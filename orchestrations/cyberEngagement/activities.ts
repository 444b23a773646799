import * as df from 'durable-functions';
import * as cyberEngagements from '../../app/cyberEngagements';
import { CYBER_ACTIVITIES } from '../../domain/cyber/cyberRecord';
import { services } from '../../infra/compositionRoot';
import { notifyingActivity } from '../notifyingActivity';

df.app.activity(CYBER_ACTIVITIES.dayDelivered, {
  handler: (step: cyberEngagements.CyberStep) => cyberEngagements.recordCyberDayDelivered(services(), step), // rule CYB-3
});
notifyingActivity(CYBER_ACTIVITIES.close, cyberEngagements.closeCyberEngagement); // rule CYB-5
notifyingActivity(CYBER_ACTIVITIES.lapse, cyberEngagements.lapseCyberDeliverables); // rule CYB-5
df.app.activity(CYBER_ACTIVITIES.cancel, {
  handler: (input: { resourceId: string; workOrderId: string; at: string; reason: string | null }) =>
    cyberEngagements.cancelCyberEngagement(services(), input), // rule ENT-1
});
