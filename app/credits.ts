import type { z } from 'zod';
import {
  decideExchange,
  decideRedemption,
  type creditExchangeSchema,
  type creditRedemptionSchema,
} from '../domain/workOrder/credits';
import { decideOnWorkOrder, type Guard } from './changeWorkOrder';
import type { Services } from './services';

/** CRED-1 rounding, CRED-2 never below zero; the ledger entry commits with the balance. */
export async function redeemCredits(
  services: Services,
  workOrderId: string,
  input: z.output<typeof creditRedemptionSchema>,
  guard: Guard,
) {
  const at = services.clock.now().toISOString();
  return decideOnWorkOrder(
    services,
    workOrderId,
    (current) => {
      const outcome = decideRedemption(current.creditBalances, input); // rules CRED-1, CRED-2
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
    },
    guard,
  );
}

/** MN-4 (Host/Downstream only, rounded up), MN-5 (no exception countries). */
export async function exchangeCredits(
  services: Services,
  workOrderId: string,
  input: z.output<typeof creditExchangeSchema>,
  guard: Guard,
) {
  const at = services.clock.now().toISOString();
  return decideOnWorkOrder(
    services,
    workOrderId,
    (current) => {
      const outcome = decideExchange(
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
    },
    guard,
  );
}
