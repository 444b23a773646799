import { workOrderIdOfDuty } from '../../domain/workOrder/duties';
import { endpoint, json } from './conventions/endpoint';
import { notFound } from './conventions/problems';
import { workOrderForCaller } from './conventions/workOrderAccess';

/** GET /api/duties/{id} — a customer duty with its state (UER-4, UER-5, GHED-1). */
export const getDuty = endpoint('getDuty', {
  method: 'GET',
  route: 'duties/{id}',
  roles: ['Customer.Reader', 'Customer.Manager', 'Provider.Csam'],
  summary: 'Get a duty: onboarding (UER-4) or a quarterly review (UER-5, GHED-1)',
  responses: { status: 200, errors: [401, 403, 404] },
  handler: async ({ services, params, principal }) => {
    const id = params['id'] ?? '';
    const { workOrder, etag } = await workOrderForCaller(services, workOrderIdOfDuty(id), principal, 'read').catch(
      () => {
        throw notFound(`Duty ${id}`);
      },
    );
    const duty = workOrder.duties?.find((d) => d.id === id);
    if (!duty) throw notFound(`Duty ${id}`);
    return json(200, { ...duty, workOrderId: workOrder.id }, { etag });
  },
});
