// The app's entry point (package.json "main"): the services are built here once, at start-up, from validated
// configuration (a bad setting stops the app now, with a message naming it, instead of failing its first request),
// and every function is registered with its handler made on them (handler factories: nothing reads a global).
import { app } from '@azure/functions';
import type { Services } from '../app/services';
import { buildServices, checkStorageLayout } from '../infra/compositionRoot';
import { config } from '../infra/config';
import type { Endpoint } from './http/conventions/endpoint';
import './http/getOpenApiDocument'; // needs no services: registers itself
import { createWorkOrder } from './http/createWorkOrder';
import { getWorkOrder } from './http/getWorkOrder';
import { listWorkOrders } from './http/listWorkOrders';
import { terminateWorkOrder } from './http/terminateWorkOrder';
import { setWorkOrderCalendar } from './http/setWorkOrderCalendar';
import { getWorkOrderTimeline } from './http/getWorkOrderTimeline';
import { redeemCredits } from './http/redeemCredits';
import { exchangeCredits } from './http/exchangeCredits';
import { createServiceRequest } from './http/createServiceRequest';
import { scheduleServiceRequest } from './http/scheduleServiceRequest';
import { cancelServiceRequest } from './http/cancelServiceRequest';
import { deliverServiceRequest } from './http/deliverServiceRequest';
import { getServiceRequest } from './http/getServiceRequest';
import { waiveCancellationFee } from './http/waiveCancellationFee';
import { requestEntitlementSwap } from './http/requestEntitlementSwap';
import { decideEntitlementSwap } from './http/decideEntitlementSwap';
import { getEntitlementSwap } from './http/getEntitlementSwap';
import { getIncident } from './http/getIncident';
import { listWorkOrderIncidents } from './http/listWorkOrderIncidents';
import { requestRca } from './http/requestRca';
import { getLifecycle } from './http/getLifecycle';
import { listIngestionRejections } from './http/listIngestionRejections';
import { bookAemEvent } from './http/bookAemEvent';
import { getAemEvent } from './http/getAemEvent';
import { requestAemEventCancellation } from './http/requestAemEventCancellation';
import { bookCyberEngagement } from './http/bookCyberEngagement';
import { extendCyberEngagement } from './http/extendCyberEngagement';
import { acknowledgeCyberEngagement } from './http/acknowledgeCyberEngagement';
import { getCyberEngagement } from './http/getCyberEngagement';
import { declineCyberDeliverables } from './http/declineCyberDeliverables';
import { addWorkOrderEntitlement } from './http/addWorkOrderEntitlement';
import { endWorkOrderEntitlement } from './http/endWorkOrderEntitlement';
import { recordHours } from './http/recordHours';
import { listWorkOrderHours } from './http/listWorkOrderHours';
import { getDuty } from './http/getDuty';
import { completeDuty } from './http/completeDuty';
import { rescheduleServiceRequest } from './http/rescheduleServiceRequest';
import { putWorkOrderContacts } from './http/putWorkOrderContacts';
import { getCatalogue } from './http/getCatalogue';
import { whatIfFirstResponse } from './http/whatIfFirstResponse';
import { whatIfWorkOrder } from './http/whatIfWorkOrder';
import { listWorkOrderDeadlines } from './http/listWorkOrderDeadlines';
import './http/getOperatorPage'; // needs no services: registers itself
import { registerIngestTicketEvent } from './serviceBus/ingestTicketEvent';
import { registerSweepDueLifecycles } from './timers/sweepDueLifecycles';
import '../orchestrations/incidentSla/orchestrator';
import { registerIncidentSlaActivities } from '../orchestrations/incidentSla/activities';
import '../orchestrations/workOrderTerm/orchestrator';
import { registerWorkOrderTermActivities } from '../orchestrations/workOrderTerm/activities';
import '../orchestrations/phasedLifecycle/orchestrator';
import { registerAemEventActivities } from '../orchestrations/aemEvent/activities';
import { registerCyberEngagementActivities } from '../orchestrations/cyberEngagement/activities';

const ENDPOINTS: readonly Endpoint[] = [
  createWorkOrder,
  getWorkOrder,
  listWorkOrders,
  terminateWorkOrder,
  setWorkOrderCalendar,
  getWorkOrderTimeline,
  redeemCredits,
  exchangeCredits,
  createServiceRequest,
  scheduleServiceRequest,
  cancelServiceRequest,
  deliverServiceRequest,
  getServiceRequest,
  waiveCancellationFee,
  requestEntitlementSwap,
  decideEntitlementSwap,
  getEntitlementSwap,
  getIncident,
  listWorkOrderIncidents,
  requestRca,
  getLifecycle,
  listIngestionRejections,
  bookAemEvent,
  getAemEvent,
  requestAemEventCancellation,
  bookCyberEngagement,
  extendCyberEngagement,
  acknowledgeCyberEngagement,
  getCyberEngagement,
  declineCyberDeliverables,
  addWorkOrderEntitlement,
  endWorkOrderEntitlement,
  recordHours,
  listWorkOrderHours,
  getDuty,
  completeDuty,
  rescheduleServiceRequest,
  putWorkOrderContacts,
  getCatalogue,
  whatIfFirstResponse,
  whatIfWorkOrder,
  listWorkOrderDeadlines,
];

/** Registers every trigger and activity with the host, each handler made on `services`. */
function startServices(services: Services): void {
  for (const endpoint of ENDPOINTS) endpoint.register(services);
  registerIngestTicketEvent(services);
  registerSweepDueLifecycles(services);
  registerIncidentSlaActivities(services);
  registerWorkOrderTermActivities(services);
  registerAemEventActivities(services);
  registerCyberEngagementActivities(services);
}

startServices(buildServices(config()));
// An outdated store is never served: a failing appStart hook fails the worker's start (the local host's too).
app.hook.appStart(() => checkStorageLayout(config()));
