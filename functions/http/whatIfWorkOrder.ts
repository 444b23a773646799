import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import type { Explanation } from '../../domain/explanation';
import { idSchema } from '../../domain/input';
import type { WorkOrderView } from '../../domain/workOrder/workOrderView';
import { cancelServiceRequest } from './cancelServiceRequest';
import { DryRunStop, dryRun, type DryRunCapture } from '../../app/dryRun';
import { endpoint, json, type Endpoint, type EndpointRequest } from './conventions/endpoint';
import { notFound } from './conventions/problems';
import { workOrderForCaller } from './conventions/workOrderAccess';
import { createServiceRequest } from './createServiceRequest';
import { redeemCredits } from './redeemCredits';
import { terminateWorkOrder } from './terminateWorkOrder';

const whatIfSchema = z.union([
  z.object({ serviceRequest: z.record(z.string(), z.unknown()) }).strict(),
  z.object({ redemption: z.record(z.string(), z.unknown()) }).strict(),
  z
    .object({
      cancellation: z.object({ requestId: idSchema, at: z.iso.datetime({ offset: true }).optional() }).strict(),
    })
    .strict(),
  z
    .object({ termination: z.object({ at: z.iso.date(), reason: z.string().min(1).max(2000).optional() }).strict() })
    .strict(),
]);

interface RealRequest {
  kind: 'serviceRequest' | 'redemption' | 'cancellation' | 'termination';
  endpoint: Endpoint;
  path: string;
  params: Record<string, string>;
  body: unknown;
  /** What the real request answers when it succeeds. */
  status: number;
}

function realRequestOf(workOrderId: string, input: z.output<typeof whatIfSchema>): RealRequest {
  const wo = encodeURIComponent(workOrderId);
  if ('serviceRequest' in input)
    return {
      kind: 'serviceRequest',
      endpoint: createServiceRequest,
      path: `work-orders/${wo}/service-requests`,
      params: { id: workOrderId },
      body: input.serviceRequest,
      status: 201,
    };
  if ('redemption' in input)
    return {
      kind: 'redemption',
      endpoint: redeemCredits,
      path: `work-orders/${wo}/credits/redemptions`,
      params: { id: workOrderId },
      body: input.redemption,
      status: 201,
    };
  if ('cancellation' in input) {
    const { requestId, at } = input.cancellation;
    return {
      kind: 'cancellation',
      endpoint: cancelServiceRequest,
      path: `service-requests/${encodeURIComponent(requestId)}/cancel`,
      params: { id: requestId },
      body: at ? { at } : {},
      status: 200,
    };
  }
  return {
    kind: 'termination',
    endpoint: terminateWorkOrder,
    path: `work-orders/${wo}/terminate`,
    params: { id: workOrderId },
    body: { at: input.termination.at, reason: input.termination.reason ?? 'what-if' },
    status: 200,
  };
}

function balancesOf(workOrder: WorkOrderView) {
  return {
    creditBalances: workOrder.creditBalances,
    entitlements: workOrder.entitlements.map(({ serviceCode, unit, purchased, reserved, consumed, remaining }) => ({
      serviceCode,
      unit,
      purchased,
      reserved,
      consumed,
      remaining,
    })),
  };
}

/** The real request's handler, run as a what-if: its answer if it refused, or what it would have written. */
async function ask(
  real: RealRequest,
  req: EndpointRequest<typeof whatIfSchema>,
): Promise<{ capture: DryRunCapture } | { response: HttpResponseInit }> {
  const headers: Record<string, string> = {};
  for (const name of ['x-ms-client-principal', 'if-match']) {
    const value = req.request.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  const request = new HttpRequest({
    method: 'POST',
    url: new URL(`/api/${real.path}`, req.request.url).toString(),
    headers,
    params: real.params,
    body: { string: JSON.stringify(real.body) },
  });
  try {
    return { response: await dryRun(() => real.endpoint.handler(req.services)(request, req.context, req.client)) };
  } catch (error) {
    if (error instanceof DryRunStop) return { capture: error.capture };
    throw error;
  }
}

function acceptedExplanation(real: RealRequest, result: Record<string, unknown>, body: Record<string, unknown>) {
  if (result['explanation']) return result['explanation'] as Explanation;
  if (real.kind === 'redemption')
    return {
      text: `${String(result['deducted'])} ${String(body['country'])} credits would be deducted for a value of ${String(body['value'])} (CRED-1 rounds to the nearest whole credit), leaving ${String(result['balance'])} (CRED-2: never below zero).`,
      rules: ['CRED-1', 'CRED-2'],
    };
  const ends = endsOf(result) ?? [];
  return {
    text: `The Work Order would end on ${String(body['at'])}${ends.length > 0 ? `; with it would end ${ends.map((e) => `${e.serviceCode} (${e.rule})`).join(', ')}` : ''}. Open service requests would be cancelled and their reservations given back.`,
    rules: ['EXP-1', ...new Set(ends.map((e) => e.rule))],
  };
}

function endsOf(result: unknown): Array<{ serviceCode: string; rule: string }> | undefined {
  if (Array.isArray(result)) return result as Array<{ serviceCode: string; rule: string }>;
  const r = result as { cascade?: unknown; ends?: unknown; dependents?: unknown } | null;
  const list = r?.dependents ?? r?.cascade ?? r?.ends;
  return Array.isArray(list) ? (list as Array<{ serviceCode: string; rule: string }>) : undefined;
}

/**
 * POST /api/work-orders/{id}/what-if — the answer a service request, redemption, cancellation or termination would
 * get now, and what it would do to the balances: the real request's own handler runs, and stops before writing.
 */
export const whatIfWorkOrder = endpoint('whatIfWorkOrder', {
  method: 'POST',
  route: 'work-orders/{id}/what-if',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary: 'What a service request, redemption, cancellation or termination would answer now (no side effect)',
  body: whatIfSchema,
  responses: { status: 200, errors: [400, 401, 403, 404] },
  handler: async (req) => {
    const input = await req.body();
    const workOrderId = req.params['id'] ?? '';
    const current = (await workOrderForCaller(req.services, workOrderId, req.principal, 'write')).workOrder;
    if ('cancellation' in input) {
      const found = await req.services.workOrders.findServiceRequest(input.cancellation.requestId);
      if (!found || found.workOrderId !== current.id) throw notFound(`Service request ${input.cancellation.requestId}`);
    }
    const real = realRequestOf(current.id, input);
    const answer = await ask(real, req);
    if ('capture' in answer) {
      const result = (answer.capture.result ?? {}) as Record<string, unknown>;
      const ends = endsOf(answer.capture.result);
      return json(200, {
        outcome: 'accepted',
        status: real.status,
        balancesAfter: balancesOf(answer.capture.workOrder),
        ...(typeof result['maxCancellationFee'] === 'number'
          ? { maxCancellationFee: result['maxCancellationFee'] }
          : {}),
        ...(real.kind === 'termination' ? { ends: ends ?? [] } : {}),
        result: answer.capture.result,
        explanation: acceptedExplanation(real, result, real.body as Record<string, unknown>),
      });
    }
    const status = answer.response.status ?? 200;
    const problem = parseProblem(answer.response);
    return json(200, {
      outcome: status < 400 ? 'accepted' : 'refused',
      status,
      ...(problem.rule ? { rule: problem.rule } : {}),
      balancesAfter: balancesOf(current),
      ...(problem.errors ? { errors: problem.errors } : {}),
      explanation: problem.explanation ?? {
        text: problem.detail ?? `The request would answer ${status}.`,
        rules: problem.rule ? [problem.rule] : [],
      },
    });
  },
});

function parseProblem(response: HttpResponseInit): {
  rule?: string;
  detail?: string;
  errors?: unknown;
  explanation?: Explanation;
} {
  try {
    const body = typeof response.body === 'string' ? response.body : JSON.stringify(response.jsonBody ?? {});
    return JSON.parse(body) as { rule?: string; detail?: string; explanation?: Explanation };
  } catch {
    return {};
  }
}
