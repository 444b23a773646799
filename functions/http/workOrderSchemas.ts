import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { workOrderInputSchema } from '../../domain/workOrder/workOrderSchema';
import { creditExchangeSchema, creditRedemptionSchema } from '../../domain/workOrder/credits';
import { serviceRequestInputSchema } from '../../domain/workOrder/requests';
import { swapDecisionSchema, swapRequestSchema } from '../../domain/workOrder/entitlements';
import { openApiRegistry } from './openApiDocument';

extendZodWithOpenApi(z);

export const terminationSchema = z.object({ at: z.iso.date(), reason: z.string().min(1).max(2000) }).strict();
export const cancellationSchema = z.object({ at: z.iso.datetime({ offset: true }).optional() }).strict();
export const feeWaiverSchema = z.object({ reason: z.string().trim().min(1).max(500) }).strict();

const problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  detail: z.string(),
  rule: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
const errors = (codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [
      code,
      { description: 'Problem details', content: { 'application/problem+json': { schema: problem } } },
    ]),
  );
const ok = (description: string) => ({
  description,
  content: { 'application/json': { schema: z.object({}).loose() } },
});

type Method = 'get' | 'post';
const paths: Array<[Method, string, string, z.ZodType | undefined, number, number[]]> = [
  [
    'post',
    '/work-orders',
    'Create a Work Order (FLEX-2, FLEX-4, FLEX-6, DEP-1, DEP-2, MN-5)',
    workOrderInputSchema,
    201,
    [400, 401, 403, 422],
  ],
  ['get', '/work-orders/{id}', 'Get a Work Order (ETag)', undefined, 200, [401, 403, 404]],
  [
    'get',
    '/work-orders',
    'List the Work Orders the caller may see (?customerId=, ?limit=)',
    undefined,
    200,
    [400, 401, 403],
  ],
  [
    'post',
    '/work-orders/{id}/terminate',
    'Terminate a Work Order; dependents end on the same date (DEP-1, DEP-2)',
    terminationSchema,
    200,
    [400, 401, 403, 404, 409, 412, 422],
  ],
  [
    'get',
    '/work-orders/{id}/timeline',
    'Everything that happened to a Work Order, oldest first',
    undefined,
    200,
    [401, 403, 404],
  ],
  [
    'post',
    '/work-orders/{id}/credits/redemptions',
    'Redeem Proactive Credits (CRED-1, CRED-2; EXP-1 409 once expired or terminated)',
    creditRedemptionSchema,
    201,
    [400, 401, 403, 404, 409, 412, 422],
  ],
  [
    'post',
    '/work-orders/{id}/credits/exchanges',
    'Exchange credits between locations (MN-4, MN-5; EXP-1 409 once expired or terminated)',
    creditExchangeSchema,
    201,
    [400, 401, 403, 404, 409, 412, 422],
  ],
  [
    'post',
    '/work-orders/{id}/service-requests',
    'Request a service (REQ-60, EXP-1, ENT-1; EXP-1 409 once expired or terminated)',
    serviceRequestInputSchema,
    201,
    [400, 401, 403, 404, 409, 422],
  ],
  [
    'post',
    '/service-requests/{id}/schedule',
    'Schedule a service request (SCHED-1)',
    undefined,
    200,
    [401, 403, 404, 409],
  ],
  [
    'post',
    '/service-requests/{id}/cancel',
    'Cancel a service request (CANCEL-14)',
    cancellationSchema,
    200,
    [400, 401, 403, 404, 409],
  ],
  [
    'post',
    '/service-requests/{id}/fee-waiver',
    'Waive the cancellation fee of a cancelled request (CANCEL-14; Provider.Csam)',
    feeWaiverSchema,
    200,
    [400, 401, 403, 404, 409],
  ],
  [
    'post',
    '/service-requests/{id}/deliver',
    'Deliver a service request, consuming its entitlement (ENT-1)',
    undefined,
    200,
    [401, 403, 404, 409],
  ],
  ['get', '/incidents/{incidentId}', 'Get an incident and its first-response target', undefined, 200, [401, 403, 404]],
  [
    'get',
    '/work-orders/{id}/incidents',
    "List a Work Order's incidents (?state=pending|met|breached)",
    undefined,
    200,
    [400, 401, 403, 404],
  ],
  [
    'post',
    '/incidents/{incidentId}/rca-requests',
    'Request a root cause analysis before closure (RCA-1, RCA-2)',
    undefined,
    201,
    [400, 401, 403, 404, 409],
  ],
  ['get', '/lifecycles/{instanceId}', 'The Durable status of a lifecycle', undefined, 200, [401, 403, 404]],
  [
    'post',
    '/work-orders/{id}/aem-events',
    'Book Azure Event Management (AEM-1..4, ENT-1; EXP-1 409 once expired or terminated)',
    undefined,
    201,
    [400, 401, 403, 404, 409, 422],
  ],
  [
    'get',
    '/aem-events/{id}',
    'An AEM booking: phase, incidents in its window, post-event summary (AEM-5..7)',
    undefined,
    200,
    [401, 403, 404],
  ],
  [
    'post',
    '/aem-events/{id}/cancel',
    'Cancel an AEM booking (AEM-8; Provider.Csam)',
    undefined,
    202,
    [400, 401, 403, 404, 409],
  ],
  [
    'post',
    '/work-orders/{id}/cyber-engagements',
    'Book a cybersecurity engagement (CYB-2, CYB-4, CYB-5, ENT-1; EXP-1 409 once expired or terminated)',
    undefined,
    201,
    [400, 401, 403, 404, 409, 422],
  ],
  [
    'post',
    '/cyber-engagements/{id}/extensions',
    'Extend by blocks of 5 days (CYB-3; EXP-1 409 once expired or terminated)',
    undefined,
    201,
    [400, 401, 403, 404, 409, 422],
  ],
  [
    'post',
    '/cyber-engagements/{id}/acknowledgements',
    'Record the CYB-6 acknowledgements',
    undefined,
    201,
    [400, 401, 403, 404, 422],
  ],
  ['get', '/cyber-engagements/{id}', 'A cybersecurity engagement', undefined, 200, [401, 403, 404]],
  [
    'post',
    '/work-orders/{id}/swaps',
    'Request a swap of hours between service types; waits for consent (FLEX-5, SWAP-1, FLEX-4)',
    swapRequestSchema,
    201,
    [400, 401, 403, 404, 409, 412, 422],
  ],
  [
    'post',
    '/swaps/{id}/decision',
    'Approve or decline a swap as the service delivery resource (FLEX-5, SWAP-1; Provider.Csam)',
    swapDecisionSchema,
    200,
    [400, 401, 403, 404, 409, 412, 422],
  ],
  ['get', '/swaps/{id}', 'A swap and its decision', undefined, 200, [401, 403, 404]],
  [
    'get',
    '/ingestion/rejections',
    'Rejected ticketing messages, newest first (Provider.Csam)',
    undefined,
    200,
    [401, 403],
  ],
];

for (const [method, path, summary, body, status, codes] of paths) {
  openApiRegistry.registerPath({
    method,
    path,
    summary,
    ...(body ? { request: { body: { content: { 'application/json': { schema: body } } } } } : {}),
    responses: { [status]: ok(summary), ...errors(codes) },
  });
}
