import * as aemEvents from '../../app/aemEvents';
import { AEM_ACTIVITIES } from '../../domain/aem/aemRecord';
import type { Services } from '../../app/services';
import { notifyingActivity } from '../notifyingActivity';

/** Registers the activities with the host, each on the services the entry point built. */
export function registerAemEventActivities(services: Services): void {
  notifyingActivity(services, AEM_ACTIVITIES.startPhase, aemEvents.startAemPhase); // rules AEM-5, AEM-6
  notifyingActivity(services, AEM_ACTIVITIES.summarise, aemEvents.summariseAemEvent); // rule AEM-7
  notifyingActivity(services, AEM_ACTIVITIES.cancel, aemEvents.cancelAemEvent); // rule AEM-8
}
