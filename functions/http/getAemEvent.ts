import type { AemBookingRecord } from '../../domain/aem/aemRecord';
import { incidentStore, workOrderStore } from '../compositionRoot';
import { endpoint, json } from './conventions/endpoint';
import { canRead } from './conventions/principal';
import { notFound } from './conventions/problems';

/** GET /api/aem-events/{id} — its phase, the incidents opened in its window, and the summary once the window ended (AEM-7). */
export const getAemEvent = endpoint('getAemEvent', {
  method: 'GET',
  route: 'aem-events/{id}',
  roles: ['Customer.Reader', 'Customer.Manager', 'Provider.Csam'],
  handler: async ({ params, principal }) => {
    const store = await workOrderStore();
    const found = await store.findResource<AemBookingRecord>('aem', params['id'] ?? '');
    const owner = found ? (await store.get(found.workOrderId))?.workOrder.customerId : undefined;
    if (!found || !owner || !canRead(principal, owner)) throw notFound(`AEM event ${params['id']}`);
    const record = found.data;
    const window = record.phases.live;
    const incidents = (await (await incidentStore()).listByWorkOrder(record.workOrderId, { limit: 1000 })).items
      .filter((i) => Date.parse(i.openedAt) >= Date.parse(window.from) && Date.parse(i.openedAt) < Date.parse(window.to))
      .map((i) => ({ incidentId: i.incidentId, openedAt: i.openedAt, status: i.status, severity: i.severity, firstResponse: i.firstResponse }));
    return json(200, {
      id: record.id, workOrderId: record.workOrderId, solutionName: record.solutionName, cloud: record.cloud,
      events: record.events.map(({ start, end }) => ({ start, end })), shortNotice: record.shortNotice, assessment: record.assessment,
      phase: record.phase, phases: record.phases, incidents, summary: record.summary, cancelledAt: record.cancelledAt,
    });
  },
});
