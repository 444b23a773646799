import * as contacts from '../../app/contacts';
import { contactsSchema } from '../../domain/workOrder/contacts';
import { endpoint, json } from './conventions/endpoint';
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
    const { workOrder, etag, locationsWithoutOwnSsm } = await contacts.putWorkOrderContacts(
      services,
      params['id'] ?? '',
      await body(),
      writeGuard(principal, request),
    );
    return json(200, { ...workOrder, locationsWithoutOwnSsm }, { etag });
  },
});
