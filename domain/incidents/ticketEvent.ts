import { z } from 'zod';
import { countryCodeSchema } from '../catalogue/countries';
import { severitySchema } from '../catalogue/responseTargets';
import { channelSchema, cloudSchema, productSchema } from '../sla/firstResponse';

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
    eventId: z.string().min(1).max(200),
    type: ticketEventTypeSchema,
    occurredAt: z.iso.datetime({ offset: true }),
    incidentId: z
      .string()
      .min(1)
      .max(200)
      // eslint-disable-next-line no-control-regex -- control characters are what it refuses
      .regex(/^[^/\\#?\u0000-\u001f]+$/, 'must not contain / \\ # ? or control characters'),
    workOrderId: z.string().min(1).max(200),
    severity: severitySchema.optional(),
    product: productSchema.optional(),
    channel: channelSchema.optional(),
    description: z.string().max(10_000).optional(),
    location: countryCodeSchema.optional(),
    cloud: cloudSchema.optional(),
    automated: z.boolean().optional(),
    technology: z.string().optional(),
  })
  .strict()
  .superRefine((event, ctx) => {
    for (const field of requiredFields[event.type]) {
      if ((event as Record<string, unknown>)[field] === undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: `${event.type} requires ${field}` });
      }
    }
  });
export type TicketEvent = z.infer<typeof ticketEventSchema>;
