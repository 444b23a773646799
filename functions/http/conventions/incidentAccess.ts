import type { Incident } from '../../../domain/incidents/incident';
import { incidentStore, workOrderStore } from '../../../infra/compositionRoot';
import { canRead, canWrite, type Principal } from './principal';
import { forbidden, notFound } from './problems';

/** Loads an incident the caller may see; another customer's incident is 404, exactly as if it did not exist. */
export async function incidentForCaller(
  incidentId: string,
  principal: Principal,
  access: 'read' | 'write',
): Promise<{ incident: Incident; etag: string }> {
  const stored = await (await incidentStore()).get(incidentId);
  const customerId = stored
    ? (await (await workOrderStore()).get(stored.incident.workOrderId))?.workOrder.customerId
    : undefined;
  if (!stored || !customerId || !canRead(principal, customerId)) throw notFound(`Incident ${incidentId}`);
  if (access === 'write' && !canWrite(principal, customerId)) throw forbidden();
  return stored;
}
