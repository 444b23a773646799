import { creditExchangeSchema, exchangeCredits as exchange } from '../../domain/workOrder/credits';
import { endpoint, json } from './conventions/endpoint';
import { changeWorkOrder } from './conventions/workOrderAccess';

/** POST /api/work-orders/{id}/credits/exchanges — MN-4 (Host/Downstream only, rounded up), MN-5 (no exception countries). */
export const exchangeCredits = endpoint('exchangeCredits', {
  method: 'POST',
  route: 'work-orders/{id}/credits/exchanges',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary: 'Exchange credits between locations (MN-4, MN-5; EXP-1 409 once expired or terminated)',
  body: creditExchangeSchema,
  responses: { status: 201, errors: [400, 401, 403, 404, 409, 412, 422] },
  handler: async ({ services, params, principal, body, request }) => {
    const input = await body();
    const at = services.clock.now().toISOString();
    const { result, etag } = await changeWorkOrder(services, request, params['id'] ?? '', principal, (current) => {
      const outcome = exchange(
        current.creditBalances,
        { host: current.host.country, downstream: current.downstream.map((d) => d.country) },
        input,
      ); // rules MN-4, MN-5
      return {
        workOrder: { ...current, creditBalances: outcome.balances },
        change: {
          ledger: [
            {
              at,
              kind: 'exchangeOut',
              country: input.from,
              credits: outcome.debited,
              balanceAfter: outcome.balances[input.from] ?? 0,
            },
            {
              at,
              kind: 'exchangeIn',
              country: input.to,
              credits: outcome.credited,
              balanceAfter: outcome.balances[input.to] ?? 0,
            },
          ],
          timeline: [
            {
              at,
              kind: 'creditsExchanged',
              rule: 'MN-4',
              detail: `${outcome.debited} ${input.from} credits exchanged for ${outcome.credited} ${input.to} credits at ${input.rate}.`,
            },
          ],
        },
        result: { debited: outcome.debited, credited: outcome.credited },
      };
    });
    return json(201, result, { etag });
  },
});
