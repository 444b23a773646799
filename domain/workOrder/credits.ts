import { z } from 'zod';
import { countryCodeSchema, isExceptionCountry } from '../catalogue/countries';
import { serviceCodeSchema } from '../catalogue/serviceCatalogue';
import { RuleViolation } from '../ruleViolation';
import { multiplyDecimals, parseDecimal, roundHalfUp, roundUp } from './exactDecimal';

export type CreditBalances = Readonly<Record<string, number>>;

export const creditRedemptionSchema = z
  .object({ country: countryCodeSchema, serviceCode: serviceCodeSchema, value: z.number().nonnegative() })
  .strict();
export type CreditRedemption = z.infer<typeof creditRedemptionSchema>;

export const creditExchangeSchema = z
  .object({
    from: countryCodeSchema,
    to: countryCodeSchema,
    credits: z.number().int().positive(),
    rate: z.number().positive(),
  })
  .strict();
export type CreditExchange = z.infer<typeof creditExchangeSchema>;

/** rule CRED-1: a service's value in credits, rounded to the nearest whole credit, a half up (12.5 → 13). */
export function creditsForValue(value: number | string): number {
  return roundHalfUp(parseDecimal(value)); // rule CRED-1
}

/**
 * Redeems a service against a location's credit balance: deducts CRED-1 credits; refuses when the
 * balance would go below zero (CRED-2).
 */
export function decideRedemption(
  balances: CreditBalances,
  redemption: CreditRedemption,
): { deducted: number; balance: number; balances: Record<string, number> } {
  const deducted = creditsForValue(redemption.value);
  const current = balances[redemption.country] ?? 0;
  if (deducted > current) {
    // rule CRED-2
    throw new RuleViolation(
      'CRED-2',
      `Redeeming ${deducted} credits would take the ${redemption.country} balance (${current}) below zero.`,
      'value',
    );
  }
  const balance = current - deducted;
  return { deducted, balance, balances: { ...balances, [redemption.country]: balance } };
}

/** rule MN-4: credits received in an exchange: credits × rate, exact decimal, a fraction rounded up. */
export function exchangedCredits(credits: number, rate: number | string): number {
  return roundUp(multiplyDecimals(parseDecimal(credits), parseDecimal(rate))); // rule MN-4
}

/**
 * Exchanges credits between two support locations of the same Work Order (MN-4), never to or from an
 * exception country (MN-5), never below zero (CRED-2).
 */
export function decideExchange(
  balances: CreditBalances,
  locations: { host: string; downstream: readonly string[] },
  exchange: CreditExchange,
): { debited: number; credited: number; balances: Record<string, number> } {
  for (const field of ['from', 'to'] as const) {
    const country = exchange[field];
    // rule MN-5
    if (isExceptionCountry(country))
      throw new RuleViolation(
        'MN-5',
        `Credits cannot be exchanged to or from ${country} (an exception country).`,
        field,
      );
    // rule MN-4: only between Host and Downstream locations on the Work Order
    if (country !== locations.host && !locations.downstream.includes(country)) {
      throw new RuleViolation('MN-4', `${country} is not a support location on this Work Order.`, field);
    }
  }
  if (exchange.from === exchange.to)
    throw new RuleViolation('MN-4', 'Credits can only be exchanged between two different locations.', 'to');
  const available = balances[exchange.from] ?? 0;
  if (exchange.credits > available) {
    throw new RuleViolation(
      'CRED-2',
      `The ${exchange.from} balance (${available}) is too small to exchange ${exchange.credits} credits.`,
      'credits',
    );
  }
  const credited = exchangedCredits(exchange.credits, exchange.rate);
  return {
    debited: exchange.credits,
    credited,
    balances: {
      ...balances,
      [exchange.from]: available - exchange.credits,
      [exchange.to]: (balances[exchange.to] ?? 0) + credited,
    },
  };
}
