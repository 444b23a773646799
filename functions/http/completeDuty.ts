import * as termDuties from '../../app/termDuties';
import { dutyCompletionSchema } from '../../domain/workOrder/duties';
import { endpoint, json } from './conventions/endpoint';
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
    const by = principal.roles.includes('Provider.Csam')
      ? 'Provider.Csam'
      : `Customer.Manager (${principal.customerId})`;
    const { duty, etag } = await termDuties.completeDuty(
      services,
      id,
      input,
      by,
      writeGuard(principal, request, `Duty ${id}`),
    );
    return json(201, duty, { etag });
  },
});
