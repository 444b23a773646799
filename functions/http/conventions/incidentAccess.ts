import type { StoredIncident } from '../../../domain/incidents/incidentStore';
import type { Services } from '../../../app/services';
import { canRead, canWrite, type Principal } from './principal';
import { forbidden, notFound } from './problems';

/** Loads an incident the caller may see; another customer's incident is 404, exactly as if it did not exist. */
export async function incidentForCaller(
  services: Services,
  incidentId: string,
  principal: Principal,
  access: 'read' | 'write',
): Promise<StoredIncident> {
  const stored = await services.incidents.get(incidentId);
  const customerId = stored
    ? (await services.workOrders.get(stored.incident.workOrderId))?.workOrder.customerId
    : undefined;
  if (!stored || !customerId || !canRead(principal, customerId)) throw notFound(`Incident ${incidentId}`);
  if (access === 'write' && !canWrite(principal, customerId))
    throw forbidden('Changing this needs the role Customer.Manager (of its customer) or Provider.Csam.');
  return stored;
}
