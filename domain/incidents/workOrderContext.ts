import { localDateIn } from '../calendar/businessCalendar';
import { DEFAULT_CATALOGUE, type CatalogueEdition } from '../catalogue/serviceCatalogue';
import type { WorkOrderStore } from '../workOrder/workOrderStore';
import { calendarForLocation, coveragePlans } from '../workOrder/workOrderView';
import type { AemBookingRecord } from '../aem/aemRecord';
import type { IncidentContext } from './incident';
import type { IncidentContextSource } from './incidentStore';

/**
 * An incident's context from its Work Order: the plans it held on the day the event occurred and the calendar of
 * the incident's support location (HOURS-1; MN-1 refuses a location that is not on the Work Order).
 */
export class WorkOrderIncidentContext implements IncidentContextSource {
  constructor(
    private readonly workOrders: Pick<WorkOrderStore, 'get' | 'resources'>,
    private readonly catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
  ) {}

  async contextFor(
    workOrderId: string,
    location: string | undefined,
    at: string,
  ): Promise<IncidentContext | undefined> {
    const stored = await this.workOrders.get(workOrderId);
    if (!stored) return undefined;
    const view = stored.workOrder;
    const day = localDateIn(new Date(at), view.host.timeZone);
    const plans = coveragePlans(view, day);
    return {
      designatedEngineer: view.entitlements.some((e) => e.serviceCode === 'REDE' && e.endsOn >= day), // rule REDE-1
      // AEM windows matter only under an AEM plan (AEM-6), so the bookings are read only then.
      coverage: { plans, aemWindows: plans.includes('AEM') ? await this.aemWindows(workOrderId) : [] },
      calendar: calendarForLocation(view, location ?? view.host.country, this.catalogue),
      catalogue: this.catalogue,
    };
  }

  /** rule AEM-6: the live windows of the Work Order's AEM bookings that were not cancelled. */
  private async aemWindows(workOrderId: string): Promise<Array<{ from: string; to: string }>> {
    const bookings = await this.workOrders.resources<AemBookingRecord>(workOrderId, 'aem');
    return bookings
      .filter((b) => b.data.phase !== 'cancelled')
      .map((b) => ({ from: b.data.phases.live.from, to: b.data.phases.live.to }));
  }

  async customerOf(workOrderId: string): Promise<string | undefined> {
    return (await this.workOrders.get(workOrderId))?.workOrder.customerId;
  }
}
