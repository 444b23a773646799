import { z } from 'zod';
import { idSchema, longText, text } from '../input';
import { countryCodeSchema } from '../catalogue/countries';
import { severitySchema } from '../catalogue/responseTargets';
import { channelSchema, cloudSchema, productSchema } from '../sla/firstResponse';

// Stryker disable all: static (the schema and its table are built at import: Stryker's vitest runner never activates a mutant there, stryker-js #6144); required fields per type are tested in test/unit/incidentRules.test.ts
export const ticketEventTypeSchema = z.enum([
  'IncidentOpened',
  'SeverityChanged',
  'FirstResponse',
  'CustomerUnresponsive',
  'Closed',
  'Reopened',
]);
export type TicketEventType = z.infer<typeof ticketEventTypeSchema>;

const requiredFields: Record<TicketEventType, readonly string[]> = {
  IncidentOpened: ['severity', 'product', 'channel', 'location'],
  SeverityChanged: ['severity'],
  FirstResponse: ['automated'],
  CustomerUnresponsive: [],
  Closed: [],
  Reopened: [],
};

/**
 * One message of the `ticket-events` queue (api-contract "Ticketing messages"). A ticketing system may send
 * the incident's full snapshot with every event, so all known fields are allowed on every type; each type
 * requires its own. Unknown fields are refused.
 */
export const ticketEventSchema = z
  .object({
    eventId: idSchema,
    type: ticketEventTypeSchema,
    occurredAt: z.iso.datetime({ offset: true }),
    incidentId: idSchema,
    workOrderId: idSchema,
    severity: severitySchema.optional(),
    product: productSchema.optional(),
    channel: channelSchema.optional(),
    description: longText().optional(),
    location: countryCodeSchema.optional(),
    cloud: cloudSchema.optional(),
    automated: z.boolean().optional(),
    technology: text().optional(),
  })
  .strict()
  .superRefine(requireFieldsOfType);
// Stryker restore all
export type TicketEvent = z.infer<typeof ticketEventSchema>;

/** Each type requires its own fields (checked on every parse, so its mutants are live ones). */
function requireFieldsOfType(event: { type: TicketEventType }, ctx: z.RefinementCtx): void {
  for (const field of requiredFields[event.type]) {
    if ((event as Record<string, unknown>)[field] === undefined) {
      ctx.addIssue({ code: 'custom', path: [field], message: `${event.type} requires ${field}` });
    }
  }
}
