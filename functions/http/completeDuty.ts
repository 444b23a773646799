import {
  completeDuty as complete,
  dutyCompletionSchema,
  replaceDuty,
  workOrderIdOfDuty,
} from '../../domain/workOrder/duties';
import { endpoint, json } from './conventions/endpoint';
import { HttpProblem, notFound } from './conventions/problems';
import { decideOnWorkOrder } from '../../app/changeWorkOrder';
import { writeGuard } from './conventions/workOrderAccess';

/** POST /api/duties/{id}/complete — the customer did it (UER-4 onboarding, UER-5 / GHED-1 review); on the timeline. */
export const completeDuty = endpoint('completeDuty', {
  method: 'POST',
  route: 'duties/{id}/complete',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary: 'Complete a duty (UER-4, UER-5, GHED-1); completing twice → 409',
  body: dutyCompletionSchema.optional(),
  responses: { status: 201, errors: [400, 401, 403, 404, 409, 412] },
  handler: async ({ services, params, principal, body, request }) => {
    const id = params['id'] ?? '';
    const input = (await body()) ?? {};
    const at = services.clock.now().toISOString();
    const by = principal.roles.includes('Provider.Csam')
      ? 'Provider.Csam'
      : `Customer.Manager (${principal.customerId})`;
    const { result, etag } = await decideOnWorkOrder(
      services,
      workOrderIdOfDuty(id),
      (current) => {
        const duty = current.duties?.find((d) => d.id === id);
        if (!duty) throw notFound(`Duty ${id}`);
        const done = complete(duty, at, by, input.note);
        return {
          workOrder: { ...current, duties: replaceDuty(current.duties ?? [], done) },
          change: {
            timeline: [
              {
                at,
                kind: 'dutyCompleted',
                rule: done.rule,
                detail: `${done.kind === 'onboarding' ? 'Onboarding' : 'Quarterly review'} for ${done.serviceCode} (due by ${done.dueOn}) completed${duty.state === 'overdue' ? ' late' : ''}${input.note ? `: ${input.note}` : ''}.`,
              },
            ],
          },
          result: { ...done, workOrderId: current.id },
        };
      },
      { ...writeGuard(principal, request), inForce: false }, // an overdue duty can still be done after the term
    ).catch((error: unknown) => {
      if (error instanceof HttpProblem && error.status === 404) throw notFound(`Duty ${id}`);
      throw error;
    });
    return json(201, result, { etag });
  },
});
