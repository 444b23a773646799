import { contactsSchema, nameContacts, supportLocations } from '../../domain/workOrder/contacts';
import { endpoint, json } from './conventions/endpoint';
import { decideOnWorkOrder } from '../../app/changeWorkOrder';
import { writeGuard } from './conventions/workOrderAccess';

/**
 * PUT /api/work-orders/{id}/contacts — the named SSM (per location where needed), reactive support contacts and cloud
 * administrators (CUST-SSM, CUST-CONTACT, MN-8); every change on the timeline.
 */
export const putWorkOrderContacts = endpoint('putWorkOrderContacts', {
  method: 'PUT',
  route: 'work-orders/{id}/contacts',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary:
    'Name the contacts: SSM (per location), reactive support contacts, cloud administrators (CUST-SSM, CUST-CONTACT, MN-8)',
  body: contactsSchema,
  responses: { status: 200, errors: [400, 401, 403, 404, 409, 412, 422] },
  handler: async ({ services, params, principal, body, request }) => {
    const input = await body();
    const at = services.clock.now().toISOString();
    const { result, etag, workOrder } = await decideOnWorkOrder(
      services,
      params['id'] ?? '',
      (current) => {
        const named = nameContacts(current, input); // rules CUST-SSM, MN-8
        const perLocation = Object.entries(input.perLocation ?? {}).map(([c, v]) => `${c}: ${v.name}`);
        return {
          workOrder: {
            ...current,
            contacts: named.contacts,
            supportLocations: supportLocations(current, named.contacts),
          },
          change: {
            timeline: [
              {
                at,
                kind: 'contactsChanged',
                rule: 'CUST-SSM',
                detail: `SSM ${input.ssm.name}${perLocation.length ? ` (per location: ${perLocation.join(', ')})` : ''}; ${input.reactiveContacts.length} reactive support contact(s), ${input.cloudAdministrators.length} cloud administrator(s) (CUST-CONTACT).`,
              },
            ],
          },
          result: named.withoutOwnSsm,
        };
      },
      { ...writeGuard(principal, request), inForce: false }, // naming contacts is not use of a service
    );
    return json(200, { ...workOrder, locationsWithoutOwnSsm: result }, { etag });
  },
});
