import { z } from 'zod';
import { hours, text } from '../input';
import {
  DEFAULT_CATALOGUE,
  isServiceAvailableIn,
  serviceCodeSchema,
  serviceEntry,
  type CatalogueEdition,
  type ServiceCode,
  type ServiceUnit,
} from '../catalogue/serviceCatalogue';
import { RuleViolation } from '../ruleViolation';

/** A purchased service with its balance. remaining = purchased − reserved − consumed (ENT-1). */
export interface EntitlementBalance {
  readonly serviceCode: ServiceCode;
  readonly unit: ServiceUnit;
  readonly purchased: number;
  /** Held by bookings not yet delivered (requested/scheduled service requests, planned events). */
  readonly reserved: number;
  readonly consumed: number;
  readonly remaining: number;
  /** Last day the entitlement can be used (term end, or earlier after termination). */
  readonly endsOn: string;
  /** Rule that ended it early (DEP-1, DEP-2) or expired what was left (EXP-1). */
  readonly endedBy?: string;
  readonly expired?: number;
}

export function newBalance(
  serviceCode: ServiceCode,
  purchased: number,
  endsOn: string,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): EntitlementBalance {
  return {
    serviceCode,
    unit: serviceEntry(serviceCode, catalogue).unit,
    purchased,
    reserved: 0,
    consumed: 0,
    remaining: purchased,
    endsOn,
  };
}

function withCounts(b: EntitlementBalance, reserved: number, consumed: number): EntitlementBalance {
  return { ...b, reserved, consumed, remaining: b.purchased - reserved - consumed };
}

/** The balance of a service on a Work Order; ENT-1 when the Work Order never bought it. */
export function findEntitlement(
  balances: readonly EntitlementBalance[],
  code: ServiceCode,
  path = 'serviceCode',
): EntitlementBalance {
  const balance = balances.find((b) => b.serviceCode === code);
  if (!balance) throw new RuleViolation('ENT-1', `This Work Order has no ${code} entitlement.`, path);
  return balance;
}

export function replaceEntitlement(
  balances: readonly EntitlementBalance[],
  updated: EntitlementBalance,
): EntitlementBalance[] {
  return balances.map((b) => (b.serviceCode === updated.serviceCode ? updated : b));
}

// rule ENT-1: a funded booking needs enough remaining quantity
export function assertSufficient(balance: EntitlementBalance, quantity: number, path = 'serviceCode'): void {
  if (quantity > balance.remaining) {
    throw new RuleViolation(
      'ENT-1',
      `Only ${balance.remaining} ${balance.unit} of ${balance.serviceCode} remain; ${quantity} needed.`,
      path,
    );
  }
}

/** rule ENT-1: a booking reserves its quantity (refused when too little remains). */
export function reserveEntitlement(balance: EntitlementBalance, quantity: number, path?: string): EntitlementBalance {
  assertSufficient(balance, quantity, path);
  return withCounts(balance, balance.reserved + quantity, balance.consumed);
}

/** rule ENT-1: a cancelled booking gives its quantity back. */
export function releaseEntitlement(balance: EntitlementBalance, quantity: number): EntitlementBalance {
  return withCounts(balance, Math.max(0, balance.reserved - quantity), balance.consumed);
}

/** rule ENT-1: a delivered booking consumes what it reserved. */
export function consumeReserved(balance: EntitlementBalance, quantity: number): EntitlementBalance {
  return withCounts(balance, Math.max(0, balance.reserved - quantity), balance.consumed + quantity);
}

/** rule ENT-1: `quantity` of `code` reserved on a Work Order's balances (refused when not bought or too little remains). */
export function reserve(
  balances: readonly EntitlementBalance[],
  code: ServiceCode,
  quantity: number,
  path?: string,
): EntitlementBalance[] {
  return replaceEntitlement(balances, reserveEntitlement(findEntitlement(balances, code), quantity, path));
}

/** rule ENT-1: `quantity` of `code` given back to a Work Order's balances (nothing to give back: unchanged). */
export function release(
  balances: readonly EntitlementBalance[],
  code: ServiceCode,
  quantity: number,
): EntitlementBalance[] {
  if (quantity <= 0) return [...balances];
  return replaceEntitlement(balances, releaseEntitlement(findEntitlement(balances, code), quantity));
}

/** rule ENT-1: `quantity` of `code` consumed from what was reserved (nothing to consume: unchanged). */
export function consume(
  balances: readonly EntitlementBalance[],
  code: ServiceCode,
  quantity: number,
): EntitlementBalance[] {
  if (quantity <= 0) return [...balances];
  return replaceEntitlement(balances, consumeReserved(findEntitlement(balances, code), quantity));
}

/**
 * Hour-block drawdown: hours are deducted when used — EDE (EDE-1), Reactive EDE (REDE-1) and
 * cybersecurity days/extension blocks (CYB-3). Refused when the block is exhausted (ENT-1).
 */
export function drawDownHours(
  balance: EntitlementBalance,
  hours: number,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): EntitlementBalance {
  if (!(hours > 0)) throw new RuleViolation('ENT-1', 'Hours used must be positive.', 'hours');
  const entry = serviceEntry(balance.serviceCode, catalogue);
  // rule EDE-1, REDE-1: hour blocks; rule CYB-3: days of `hoursPerDay` hours, deducted as used
  const perUnit = entry.unit === 'hours' ? 1 : entry.unit === 'days' ? (entry.hoursPerDay ?? 8) : null;
  if (perUnit === null) throw new RuleViolation('ENT-1', `${balance.serviceCode} is not sold in hours.`, 'serviceCode');
  const units = hours / perUnit;
  assertSufficient(balance, units, 'hours');
  return withCounts(balance, balance.reserved, balance.consumed + units);
}

/**
 * Quantity of an entitlement a service request takes (ENT-1): one delivery for instance-based services,
 * its days for day-based ones, 8 hours per requested day for hour-based ones (product default), one event.
 */
export function quantityForRequest(
  code: ServiceCode,
  days: number,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): number {
  const entry = serviceEntry(code, catalogue);
  switch (entry.unit) {
    case 'days':
      return days;
    case 'hours':
      return days * 8;
    default:
      return 1;
  }
}

/** rule CYB-3: extra cybersecurity days beyond the CYB-2 minimum come in whole blocks of 5 days. */
export const CYBER_BLOCK_DAYS = 5;

/** rule CYB-3: `days` is the offering's minimum (CYB-2) plus whole 5-day blocks. */
export function assertWholeBlocks(code: ServiceCode, days: number, minDays: number, path: string): void {
  if ((days - minDays) % CYBER_BLOCK_DAYS === 0) return;
  const below = minDays + Math.floor((days - minDays) / CYBER_BLOCK_DAYS) * CYBER_BLOCK_DAYS;
  throw new RuleViolation(
    'CYB-3',
    `${code} is bought as ${minDays} day(s) plus whole blocks of ${CYBER_BLOCK_DAYS} days (e.g. ${below} or ${below + CYBER_BLOCK_DAYS}); ${days} is not.`,
    path,
  );
}

/** rule DEVS-1: some add-ons can only be bought up to a limited maximum (configured per edition). */
export function assertWithinMaximum(
  code: ServiceCode,
  quantity: number,
  path: string,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): void {
  const max = serviceEntry(code, catalogue).maxQuantity;
  // Stryker disable next-line ConditionalExpression: `quantity > undefined` is false, as the guard says
  if (max !== undefined && max !== null && quantity > max) {
    throw new RuleViolation('DEVS-1', `${code} can be bought up to ${max}.`, path);
  }
}

export const swapRequestSchema = z
  .object({
    from: serviceCodeSchema,
    to: serviceCodeSchema,
    hours: hours(),
    fundedBy: z.enum(['flex', 'purchase']),
    country: z.string().regex(/^[A-Z]{2}$/),
  })
  .strict();
export type SwapRequest = z.infer<typeof swapRequestSchema>;

export interface PendingSwap extends SwapRequest {
  readonly status: 'awaitingConsent';
  /** FLEX-5 for flex-funded services, SWAP-1 for any other ordered service. */
  readonly rule: 'FLEX-5' | 'SWAP-1';
}

/** A swap as stored on its Work Order: requested, then approved or declined by the service delivery resource. */
export interface SwapRecord extends Omit<PendingSwap, 'status'> {
  readonly id: string;
  readonly workOrderId: string;
  readonly status: 'awaitingConsent' | 'approved' | 'declined';
  readonly requestedAt: string;
  readonly decision: { readonly by: string; readonly at: string } | null;
}

/** `by` is accepted for older callers but not used: a decision is recorded under the signed-in caller. */
export const swapDecisionSchema = z.object({ approved: z.boolean(), by: text().optional() }).strict();

/** FLEX-5 / SWAP-1: consent is given once; a decided swap cannot be decided again. */
export function pendingSwap(record: SwapRecord): PendingSwap {
  if (record.status !== 'awaitingConsent')
    throw new RuleViolation(record.rule, `This swap was already ${record.status}.`, '', 409);
  return {
    from: record.from,
    to: record.to,
    hours: record.hours,
    fundedBy: record.fundedBy,
    country: record.country,
    status: 'awaitingConsent',
    rule: record.rule,
  };
}

function hoursPerUnit(code: ServiceCode, catalogue: CatalogueEdition): number | null {
  const entry = serviceEntry(code, catalogue);
  return entry.unit === 'hours' ? 1 : entry.unit === 'days' ? (entry.hoursPerDay ?? 8) : null;
}

/**
 * Opens a swap of `hours` of one service type for the same hours of another (FLEX-5, SWAP-1). It never
 * applies by itself: it waits for the service delivery resource's consent (approveSwap).
 */
export function requestSwap(
  balances: readonly EntitlementBalance[],
  request: SwapRequest,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): PendingSwap {
  const rule = request.fundedBy === 'flex' ? 'FLEX-5' : 'SWAP-1';
  const fromPerUnit = hoursPerUnit(request.from, catalogue);
  const toPerUnit = hoursPerUnit(request.to, catalogue);
  if (fromPerUnit === null || toPerUnit === null)
    throw new RuleViolation(rule, 'Only services measured in hours or days can be swapped hour for hour.', 'to');
  // rule FLEX-4: flex-funded hours cannot become SDM
  if (request.fundedBy === 'flex' && serviceEntry(request.to, catalogue).group === 'sdm') {
    throw new RuleViolation('FLEX-4', 'Flex Allowance may not be spent on Service Delivery Management services.', 'to');
  }
  // rule BUY-5: "if available"
  if (!isServiceAvailableIn(request.to, request.country, catalogue))
    throw new RuleViolation(rule, `${request.to} is not available in ${request.country}.`, 'to');
  assertSufficient(findEntitlement(balances, request.from, 'from'), request.hours / fromPerUnit, 'hours');
  return { ...request, status: 'awaitingConsent', rule };
}

/**
 * The consent step of FLEX-5 / SWAP-1. Declined: balances unchanged. Approved: the hours move from one
 * service to the other.
 */
export function decideSwap(
  balances: readonly EntitlementBalance[],
  swap: PendingSwap,
  consent: { approved: boolean; by: string },
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): { status: 'approved' | 'declined'; balances: EntitlementBalance[] } {
  if (!consent.approved) return { status: 'declined', balances: [...balances] };
  const from = findEntitlement(balances, swap.from, 'from');
  const fromUnits = swap.hours / (hoursPerUnit(swap.from, catalogue) ?? 1);
  assertSufficient(from, fromUnits, 'hours');
  const toUnits = swap.hours / (hoursPerUnit(swap.to, catalogue) ?? 1);
  const reduced = { ...from, purchased: from.purchased - fromUnits, remaining: from.remaining - fromUnits };
  let next = replaceEntitlement(balances, reduced);
  const existing = next.find((b) => b.serviceCode === swap.to);
  next = existing
    ? replaceEntitlement(next, {
        ...existing,
        purchased: existing.purchased + toUnits,
        remaining: existing.remaining + toUnits,
      })
    : [...next, newBalance(swap.to, toUnits, from.endsOn, catalogue)];
  return { status: 'approved', balances: next };
}
