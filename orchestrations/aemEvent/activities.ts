import * as aemEvents from '../../app/aemEvents';
import { AEM_ACTIVITIES } from '../../domain/aem/aemRecord';
import { notifyingActivity } from '../notifyingActivity';

notifyingActivity(AEM_ACTIVITIES.startPhase, aemEvents.startAemPhase); // rules AEM-5, AEM-6
notifyingActivity(AEM_ACTIVITIES.summarise, aemEvents.summariseAemEvent); // rule AEM-7
notifyingActivity(AEM_ACTIVITIES.cancel, aemEvents.cancelAemEvent); // rule AEM-8
