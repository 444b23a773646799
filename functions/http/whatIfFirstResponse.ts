import { z } from 'zod';
import * as incidents from '../../app/incidents';
import { countryCodeSchema } from '../../domain/catalogue/countries';
import { severitySchema } from '../../domain/catalogue/responseTargets';
import { idSchema } from '../../domain/input';
import { channelSchema, cloudSchema, productSchema } from '../../domain/sla/firstResponse';
import { endpoint, json } from './conventions/endpoint';
import { notFound } from './conventions/problems';
import { workOrderForCaller } from './conventions/workOrderAccess';

const whatIfFirstResponseSchema = z
  .object({
    workOrderId: idSchema,
    openedAt: z.iso.datetime({ offset: true }),
    severity: severitySchema,
    product: productSchema,
    channel: channelSchema,
    location: countryCodeSchema,
    description: z.string().max(4000).optional(),
    cloud: cloudSchema.optional(),
  })
  .strict();

/**
 * POST /api/what-if/first-response — when an incident opened so would be due: the incident is opened exactly as an
 * IncidentOpened event would open it (same context, same decision), and nothing is kept.
 */
export const whatIfFirstResponse = endpoint('whatIfFirstResponse', {
  method: 'POST',
  route: 'what-if/first-response',
  roles: ['Customer.Reader', 'Customer.Manager', 'Provider.Csam'],
  summary: 'When an incident opened so would be due, with the explanation (RESP-PICK, INC-5, HOURS-1); no side effect',
  body: whatIfFirstResponseSchema,
  responses: { status: 200, errors: [400, 401, 403, 404, 422] },
  handler: async ({ services, body, principal }) => {
    const input = await body();
    await workOrderForCaller(services, input.workOrderId, principal, 'read');
    const incident = await incidents.whatIfFirstResponse(services, {
      workOrderId: input.workOrderId,
      occurredAt: input.openedAt,
      severity: input.severity,
      product: input.product,
      channel: input.channel,
      location: input.location,
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.cloud ? { cloud: input.cloud } : {}),
    });
    if (!incident) throw notFound(`Work Order ${input.workOrderId}`);
    const { plan, targetMinutes, clock, dueAt, explanation } = incident.firstResponse;
    const history = (explanation?.history ?? []).filter((h) => h.eventId !== 'what-if');
    return json(200, {
      coverage: incident.coverage,
      firstResponse: {
        plan,
        targetMinutes,
        clock,
        dueAt,
        warningAt: incident.warningAt,
        explanation: { ...explanation, history },
      },
      seniorIncidentManagerAssigned: incident.seniorIncidentManagerAssigned,
    });
  },
});
