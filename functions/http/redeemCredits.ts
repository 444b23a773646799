import { creditRedemptionSchema, redeemCredits as redeem } from '../../domain/workOrder/credits';
import { endpoint, json } from './conventions/endpoint';
import { changeWorkOrder } from './conventions/workOrderAccess';

/** POST /api/work-orders/{id}/credits/redemptions — CRED-1 rounding, CRED-2 never below zero. */
export const redeemCredits = endpoint('redeemCredits', {
  method: 'POST',
  route: 'work-orders/{id}/credits/redemptions',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary: 'Redeem Proactive Credits (CRED-1, CRED-2; EXP-1 409 once expired or terminated)',
  body: creditRedemptionSchema,
  responses: { status: 201, errors: [400, 401, 403, 404, 409, 412, 422] },
  handler: async ({ services, params, principal, body, request }) => {
    const input = await body();
    const at = services.clock.now().toISOString();
    const { result, etag } = await changeWorkOrder(services, request, params['id'] ?? '', principal, (current) => {
      const outcome = redeem(current.creditBalances, input); // rules CRED-1, CRED-2
      return {
        workOrder: { ...current, creditBalances: outcome.balances },
        change: {
          ledger: [
            {
              at,
              kind: 'redemption',
              country: input.country,
              credits: outcome.deducted,
              balanceAfter: outcome.balance,
              serviceCode: input.serviceCode,
            },
          ],
          timeline: [
            {
              at,
              kind: 'creditsRedeemed',
              rule: 'CRED-1',
              detail: `${outcome.deducted} ${input.country} credits redeemed for ${input.serviceCode} (value ${input.value}); balance ${outcome.balance}.`,
            },
          ],
        },
        result: { deducted: outcome.deducted, balance: outcome.balance },
      };
    });
    return json(201, result, { etag });
  },
});
