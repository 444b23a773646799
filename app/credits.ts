import type { z } from 'zod';
import {
  decideExchange,
  decideRedemption,
  type creditExchangeSchema,
  type creditRedemptionSchema,
} from '../domain/workOrder/credits';
import type { LedgerEntry, TimelineEntry } from '../domain/workOrder/workOrderStore';
import type { WorkOrderView } from '../domain/workOrder/workOrderView';
import { decideOnWorkOrder, type Guard } from './changeWorkOrder';
import type { Services } from './services';

/** CRED-1 rounding, CRED-2 never below zero; the ledger entry commits with the balance. */
export async function redeemCredits(
  services: Services,
  workOrderId: string,
  input: z.output<typeof creditRedemptionSchema>,
  guard: Guard,
) {
  return changeCredits(services, workOrderId, guard, (current) => {
    const outcome = decideRedemption(current.creditBalances, input); // rules CRED-1, CRED-2
    return {
      balances: outcome.balances,
      ledger: [
        {
          kind: 'redemption',
          country: input.country,
          credits: outcome.deducted,
          balanceAfter: outcome.balance,
          serviceCode: input.serviceCode,
        },
      ],
      entry: {
        kind: 'creditsRedeemed',
        rule: 'CRED-1',
        detail: `${outcome.deducted} ${input.country} credits redeemed for ${input.serviceCode} (value ${input.value}); balance ${outcome.balance}.`,
      },
      result: { deducted: outcome.deducted, balance: outcome.balance },
    };
  });
}

/** MN-4 (Host/Downstream only, rounded up), MN-5 (no exception countries). */
export async function exchangeCredits(
  services: Services,
  workOrderId: string,
  input: z.output<typeof creditExchangeSchema>,
  guard: Guard,
) {
  return changeCredits(services, workOrderId, guard, (current) => {
    const outcome = decideExchange(
      current.creditBalances,
      { host: current.host.country, downstream: current.downstream.map((d) => d.country) },
      input,
    ); // rules MN-4, MN-5
    return {
      balances: outcome.balances,
      ledger: [
        {
          kind: 'exchangeOut',
          country: input.from,
          credits: outcome.debited,
          balanceAfter: outcome.balances[input.from] ?? 0,
        },
        {
          kind: 'exchangeIn',
          country: input.to,
          credits: outcome.credited,
          balanceAfter: outcome.balances[input.to] ?? 0,
        },
      ],
      entry: {
        kind: 'creditsExchanged',
        rule: 'MN-4',
        detail: `${outcome.debited} ${input.from} credits exchanged for ${outcome.credited} ${input.to} credits at ${input.rate}.`,
      },
      result: { debited: outcome.debited, credited: outcome.credited },
    };
  });
}

/** A change of credit balances: the balances, their ledger entries and the timeline entry commit together, dated now. */
async function changeCredits<T>(
  services: Services,
  workOrderId: string,
  guard: Guard,
  decide: (current: WorkOrderView) => {
    balances: WorkOrderView['creditBalances'];
    ledger: Array<Omit<LedgerEntry, 'at'>>;
    entry: Omit<TimelineEntry, 'at'>;
    result: T;
  },
) {
  const at = services.clock.now().toISOString();
  return decideOnWorkOrder(
    services,
    workOrderId,
    (current) => {
      const { balances, ledger, entry, result } = decide(current);
      return {
        workOrder: { ...current, creditBalances: balances },
        change: { ledger: ledger.map((l) => ({ at, ...l })), timeline: [{ at, ...entry }] },
        result,
      };
    },
    guard,
  );
}
