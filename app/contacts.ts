import type { z } from 'zod';
import { nameContacts, supportLocations, type contactsSchema } from '../domain/workOrder/contacts';
import { decideOnWorkOrder, type Guard } from './changeWorkOrder';
import type { Services } from './services';

/**
 * The named SSM (per location where needed), reactive support contacts and cloud administrators (CUST-SSM,
 * CUST-CONTACT, MN-8), the change on the timeline; answers the locations still without their own SSM.
 */
export async function putWorkOrderContacts(
  services: Services,
  workOrderId: string,
  input: z.output<typeof contactsSchema>,
  guard: Guard,
) {
  const at = services.clock.now().toISOString();
  const { result, etag, workOrder } = await decideOnWorkOrder(
    services,
    workOrderId,
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
    { ...guard, inForce: false }, // naming contacts is not use of a service
  );
  return { workOrder, etag, locationsWithoutOwnSsm: result };
}
