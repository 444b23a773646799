import { DateTime } from 'luxon';
import { DEFAULT_CATALOGUE, serviceEntry, type CatalogueEdition } from '../catalogue/serviceCatalogue';
import { spokenDate, type Explanation } from '../explanation';
import { RuleViolation } from '../ruleViolation';
import type { FlexAllocation, Term } from './workOrderSchema';

export interface FlexPeriod {
  readonly year: number;
  readonly start: string;
  readonly end: string;
  readonly allowance: number;
  readonly allocated: number;
  readonly forfeited: number;
  readonly creditsCap: number;
  /** Why the year ends (and lapses) when it does, and what was forfeited (FLEX-3, FLEX-6). */
  readonly explanation?: Explanation;
}

// Stryker disable next-line ObjectLiteral,StringLiteral: static (defined at import, stryker-js #6144)
const utcDate = (date: string) => DateTime.fromISO(date, { zone: 'utc' });
// Stryker disable next-line StringLiteral: luxon gives a date for every valid DateTime; the fallback is for the type
const toDate = (d: DateTime) => d.toISODate() ?? '';

/**
 * rule FLEX-3: year k of the term runs from start + (k−1) years to the day before start + k years,
 * capped at the term end.
 */
export function flexYears(term: Term): { year: number; start: string; end: string }[] {
  const years: { year: number; start: string; end: string }[] = [];
  const start = utcDate(term.start);
  for (let year = 1; ; year++) {
    const from = toDate(start.plus({ years: year - 1 }));
    if (from > term.end) break;
    const to = toDate(start.plus({ years: year }).minus({ days: 1 }));
    // Stryker disable next-line EqualityOperator: on equal dates both branches give the same date
    years.push({ year, start: from, end: to < term.end ? to : term.end });
  }
  return years;
}

/**
 * rule FLEX-2: the higher of 20 % of the year's Flex Allowance and USD 50,000, never above the allowance. The floor is
 * in USD: a Work Order in another currency converts it with its `usdRate` (units of its currency per USD).
 */
export function flexCreditsCap(
  allowance: number,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
  usdRate = 1,
): number {
  const cents = (n: number) => Math.round(n * 100) / 100;
  const share = cents(allowance * catalogue.flex.creditsShare);
  const floor = cents(catalogue.flex.creditsFloor * usdRate);
  return Math.min(allowance, Math.max(share, floor));
}

/** Amount that counts against the FLEX-2 cap: credits and custom proactive, however named. */
function countsTowardsCreditsCap(allocation: FlexAllocation): boolean {
  return allocation.target !== 'service' || allocation.serviceCode === 'CUSTOM_PROACTIVE'; // rule FLEX-2
}

/** The annual flex periods with allocation, forfeiture (FLEX-6) and credits cap (FLEX-2). */
export function flexPeriods(
  term: Term,
  allowancePerYear: number,
  allocations: readonly FlexAllocation[],
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
  usdRate = 1,
): FlexPeriod[] {
  return flexYears(term).map(({ year, start, end }) => {
    const allocated = allocations.filter((a) => a.year === year).reduce((sum, a) => sum + a.amount, 0);
    const forfeited = Math.max(0, allowancePerYear - allocated); // rule FLEX-6: unallocated at signing is forfeited
    // Stryker disable next-line all: only the explanation's wording uses it
    const capped = end === term.end && end !== toDate(utcDate(start).plus({ years: 1 }).minus({ days: 1 }));
    return {
      year,
      start,
      end,
      allowance: allowancePerYear,
      allocated,
      forfeited,
      creditsCap: flexCreditsCap(allowancePerYear, catalogue, usdRate),
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      explanation: {
        // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
        text:
          // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
          `Flex year ${year} runs from ${spokenDate(start)} to ${spokenDate(end)}${capped ? ' (cut short by the term end)' : ''}: a year of the term counted from its start (FLEX-3). ` +
          // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
          `What it bought must be used by then; unused flex services lapse at the end of ${spokenDate(end)}. ` +
          // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
          `${allocated} of the ${allowancePerYear} allowance was allocated at signing${forfeited > 0 ? `; ${forfeited} was forfeited (FLEX-6)` : ''}.`,
        // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
        rules: forfeited > 0 ? ['FLEX-3', 'FLEX-6'] : ['FLEX-3'],
        // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
        inputs: { termStart: term.start, termEnd: term.end, year, allowance: allowancePerYear, allocated, forfeited },
        // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      },
    };
  });
}

/** Checks every flex allocation of a new Work Order (FLEX-1..FLEX-4); throws the first RuleViolation. */
export function validateFlexAllocations(
  term: Term,
  allowancePerYear: number,
  allocations: readonly FlexAllocation[],
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
  usdRate = 1,
): void {
  const years = flexYears(term).length;
  allocations.forEach((allocation, i) => {
    if (allocation.year > years) {
      // rule FLEX-3
      throw new RuleViolation(
        'FLEX-3',
        `The term has ${years} flex year(s); year ${allocation.year} does not exist.`,
        `flexAllocations[${i}].year`,
      );
    }
    if (allocation.target === 'service') {
      const group = serviceEntry(allocation.serviceCode, catalogue).group;
      // rule FLEX-4: never on SDM services
      if (group === 'sdm')
        throw new RuleViolation(
          'FLEX-4',
          'Flex Allowance may not be spent on Service Delivery Management services.',
          `flexAllocations[${i}].serviceCode`,
        );
      // rule FLEX-1: proactive, enhanced services and solutions (incl. cybersecurity), credits or custom proactive only
      if (group === 'reactive')
        throw new RuleViolation(
          'FLEX-1',
          'Flex Allowance can only buy proactive or enhanced services, credits or custom proactive services.',
          `flexAllocations[${i}].serviceCode`,
        );
    }
  });
  for (let year = 1; year <= years; year++) {
    const ofYear = allocations.filter((a) => a.year === year);
    const total = ofYear.reduce((sum, a) => sum + a.amount, 0);
    // rule FLEX-1: a share of the list price stated by the provider; more cannot be allocated
    if (total > allowancePerYear)
      throw new RuleViolation(
        'FLEX-1',
        `Year ${year} allocates ${total}, more than the Flex Allowance of ${allowancePerYear}.`,
        'flexAllocations',
      );
    const towardsCap = ofYear.filter(countsTowardsCreditsCap).reduce((sum, a) => sum + a.amount, 0);
    const cap = flexCreditsCap(allowancePerYear, catalogue, usdRate);
    // rule FLEX-2
    if (towardsCap > cap) {
      throw new RuleViolation(
        'FLEX-2',
        `Year ${year} puts ${towardsCap} into Proactive Credits and Custom Proactive Services; at most ${cap} is allowed.`,
        'flexAllocations',
      );
    }
  }
}

/** The flex year that contains a date, or null outside the term. */
export function flexYearOn(term: Term, date: string): number | null {
  return flexYears(term).find((p) => date >= p.start && date <= p.end)?.year ?? null;
}

/**
 * rule FLEX-3: a flex-funded delivery lies within the flex year that holds its first day (the term as it now runs,
 * a termination included), and that year allocated Flex Allowance to the service.
 */
export function assertFlexFunding(
  term: Term,
  allocations: readonly FlexAllocation[],
  request: { serviceCode: string; startDate: string; days: number },
): number {
  const year = flexYears(term).find((p) => request.startDate >= p.start && request.startDate <= p.end);
  const lastDay = DateTime.fromISO(request.startDate, { zone: 'utc' })
    .plus({ days: Math.max(1, request.days) - 1 })
    .toISODate() as string;
  if (!year || lastDay > year.end)
    throw new RuleViolation(
      'FLEX-3',
      `A flex-funded service is used within its flex year${year ? ` (${year.start} to ${year.end})` : ''}; this one runs to ${lastDay}.`,
      'startDate',
    );
  const allocated = allocations.some(
    (a) =>
      a.year === year.year &&
      // Stryker disable next-line ConditionalExpression: only a 'service' allocation carries a serviceCode
      ((a.target === 'service' && a.serviceCode === request.serviceCode) ||
        (a.target === 'customProactive' && request.serviceCode === 'CUSTOM_PROACTIVE')),
  );
  if (!allocated)
    throw new RuleViolation(
      'FLEX-3',
      `Flex year ${year.year} allocated nothing to ${request.serviceCode}.`,
      'serviceCode',
    );
  return year.year;
}

/** A flex year after its end: what flex-funded requests used of its allocation, and what lapsed (FLEX-3). */
export interface ClosedFlexPeriod extends FlexPeriod {
  readonly used: number;
  readonly lapsed: number;
}

/**
 * rule FLEX-3: at the end of flex year `year`, what was allocated to it and not used by the flex-funded requests
 * starting within it (cancelled ones aside) lapses. Null when there is no such year or it was closed already.
 */
export function closeFlexYear(
  periods: readonly FlexPeriod[],
  year: number,
  requests: ReadonlyArray<{ fundedBy: string; status: string; startDate: string; price: number }>,
): { periods: FlexPeriod[]; closed: ClosedFlexPeriod } | null {
  const period = periods.find((p) => p.year === year);
  if (!period || 'lapsed' in period) return null;
  const used = requests
    .filter(
      (r) =>
        r.fundedBy === 'flex' && r.status !== 'cancelled' && r.startDate >= period.start && r.startDate <= period.end,
    )
    .reduce((sum, r) => sum + r.price, 0);
  const closed = { ...period, used, lapsed: Math.max(0, period.allocated - used) };
  return { periods: periods.map((p) => (p.year === year ? closed : p)), closed };
}
