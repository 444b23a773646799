import type { AemBookingRecord } from '../domain/aem/aemRecord';
import type { CyberEngagementRecord } from '../domain/cyber/cyberRecord';
import { workOrderDeadlines, type DeadlineResource } from '../domain/deadlines';
import type { Incident } from '../domain/incidents/incident';
import type { WorkOrderView } from '../domain/workOrder/workOrderView';
import type { Services } from './services';

/**
 * Every dated promise of a Work Order across its lifecycles (term, incidents, AEM events, cybersecurity
 * engagements) in time order, each with its lifecycle and explanation; `from` inclusive, `to` exclusive.
 */
export async function workOrderDeadlinesOf(
  services: Services,
  workOrder: WorkOrderView,
  window: { from: string | null; to: string | null },
  lifecycleIdOf: (resource: DeadlineResource, id: string) => string,
) {
  const incidents: Incident[] = [];
  let next: string | undefined;
  do {
    const page = await services.incidents.listByWorkOrder(workOrder.id, { limit: 1000, continuationToken: next });
    incidents.push(...page.items);
    next = page.continuationToken ?? undefined;
  } while (next);
  const [aem, cyber] = await Promise.all([
    services.workOrders.resources<AemBookingRecord>(workOrder.id, 'aem'),
    services.workOrders.resources<CyberEngagementRecord>(workOrder.id, 'cyber'),
  ]);
  const fromMs = window.from ? Date.parse(window.from) : Number.NEGATIVE_INFINITY;
  const toMs = window.to ? Date.parse(window.to) : Number.POSITIVE_INFINITY;
  return workOrderDeadlines({
    workOrder,
    incidents,
    aemEvents: aem.map((r) => r.data),
    cyberEngagements: cyber.map((r) => r.data),
    now: services.clock.now(),
    lifecycleIdOf,
    catalogue: services.catalogue,
  }).filter((d) => Date.parse(d.at) >= fromMs && Date.parse(d.at) < toMs);
}
