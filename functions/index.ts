// The app's entry point (package.json "main"): importing a module registers its functions with the host, and the
// services they use are built here once, at start-up, from validated configuration (a bad setting stops the app
// now, with a message naming it, instead of failing its first request).
import { buildServices, startServices } from '../infra/compositionRoot';
import { config } from '../infra/config';
import './http/getOpenApiDocument';
import './http/createWorkOrder';
import './http/getWorkOrder';
import './http/listWorkOrders';
import './http/terminateWorkOrder';
import './http/setWorkOrderCalendar';
import './http/getWorkOrderTimeline';
import './http/redeemCredits';
import './http/exchangeCredits';
import './http/createServiceRequest';
import './http/scheduleServiceRequest';
import './http/cancelServiceRequest';
import './http/deliverServiceRequest';
import './http/getServiceRequest';
import './http/waiveCancellationFee';
import './http/requestEntitlementSwap';
import './http/decideEntitlementSwap';
import './http/getEntitlementSwap';
import './http/getIncident';
import './http/listWorkOrderIncidents';
import './http/requestRca';
import './http/getLifecycle';
import './http/listIngestionRejections';
import './http/bookAemEvent';
import './http/getAemEvent';
import './http/requestAemEventCancellation';
import './http/bookCyberEngagement';
import './http/extendCyberEngagement';
import './http/acknowledgeCyberEngagement';
import './http/getCyberEngagement';
import './serviceBus/ingestTicketEvent';
import './timers/sweepDueLifecycles';
import '../orchestrations/incidentSla/orchestrator';
import '../orchestrations/incidentSla/activities';
import '../orchestrations/workOrderTerm/orchestrator';
import '../orchestrations/workOrderTerm/activities';
import '../orchestrations/phasedLifecycle/orchestrator';
import '../orchestrations/aemEvent/activities';
import '../orchestrations/cyberEngagement/activities';

startServices(buildServices(config()));
