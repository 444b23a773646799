import { randomUUID } from 'node:crypto';
import { hoursInputSchema, useHours, type HoursUsage } from '../../domain/workOrder/hours';
import { endpoint, json } from './conventions/endpoint';
import { decideOnWorkOrder } from '../../app/changeWorkOrder';
import { writeGuard } from './conventions/workOrderAccess';

/**
 * POST /api/work-orders/{id}/hours — hours used are drawn down from what was bought (EDE-1, REDE-1; more than is
 * left → 422 ENT-1); Advisory Support draws on no balance, one case at most 6 hours (ADV-1).
 */
export const recordHours = endpoint('recordHours', {
  method: 'POST',
  route: 'work-orders/{id}/hours',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary: 'Record hours used: EDE/REDE drawn down (EDE-1, REDE-1, ENT-1); advisory at most 6 per case (ADV-1)',
  body: hoursInputSchema,
  responses: { status: 201, errors: [400, 401, 403, 404, 409, 412, 422] },
  handler: async ({ services, params, principal, body, request }) => {
    const input = await body();
    const at = services.clock.now().toISOString();
    const id = randomUUID();
    const { result, etag } = await decideOnWorkOrder(
      services,
      params['id'] ?? '',
      async (current) => {
        const caseHours = input.caseId
          ? (await services.workOrders.hoursUsage(current.id, { caseId: input.caseId }))
              .filter((u) => u.serviceCode === 'ADVISORY_SUPPORT')
              .reduce((sum, u) => sum + u.hours, 0)
          : 0;
        const used = useHours(current, input, caseHours, services.catalogue); // rules EDE-1, REDE-1, ENT-1, ADV-1
        const usage: HoursUsage = {
          ...input,
          id,
          workOrderId: current.id,
          recordedAt: at,
          remainingAfter: used.remainingAfter,
        };
        const rule =
          input.serviceCode === 'ADVISORY_SUPPORT'
            ? 'ADV-1'
            : input.serviceCode === 'REDE'
              ? 'REDE-1'
              : input.serviceCode === 'EDE'
                ? 'EDE-1'
                : 'ENT-1';
        return {
          workOrder: { ...current, entitlements: used.entitlements },
          change: {
            usage: [usage],
            timeline: [
              {
                at,
                kind: 'hoursUsed',
                rule,
                detail: `${input.hours} ${input.serviceCode} hour(s) on ${input.date}${input.incidentId ? ` for incident ${input.incidentId}` : ''}${input.caseId ? ` for case ${input.caseId}` : ''}${used.remainingAfter === null ? '' : `; ${used.remainingAfter} left`}.`,
              },
            ],
          },
          result: usage,
        };
      },
      writeGuard(principal, request),
    );
    return json(201, result, { etag });
  },
});
