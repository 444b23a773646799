import { IANAZone } from 'luxon';
import { z } from 'zod';
import { MAX_ITEMS, MAX_TERM_YEARS, days, hours, idSchema, list, quantity, termWithinBounds, text } from '../input';
import { countryCodeSchema } from '../catalogue/countries';
import { DEFAULT_CATALOGUE, serviceCodeSchema, type CatalogueEdition } from '../catalogue/serviceCatalogue';
import { workOrderCalendarSchema } from './workOrderCalendar';

const isoDate = z.iso.date();

export const supportLocationSchema = z
  .object({
    country: countryCodeSchema,
    timeZone: text().refine((zone) => IANAZone.isValidZone(zone), 'unknown IANA time zone'),
  })
  .strict();
export type SupportLocation = z.infer<typeof supportLocationSchema>;

export const termSchema = z
  .object({ start: isoDate, end: isoDate })
  .strict()
  .refine((t) => t.start <= t.end, { message: 'term.end must not be before term.start', path: ['end'] })
  .refine(termWithinBounds, { message: `a term ends at most ${MAX_TERM_YEARS} years after its start`, path: ['end'] });
export type Term = z.infer<typeof termSchema>;

const amount = z.number().positive();
const year = z
  .number()
  .int()
  .min(1)
  .max(MAX_TERM_YEARS + 1);

export const flexAllocationSchema = z.discriminatedUnion('target', [
  z.object({ year, target: z.literal('proactiveCredits'), amount }).strict(),
  z.object({ year, target: z.literal('customProactive'), amount }).strict(),
  z.object({ year, target: z.literal('service'), serviceCode: serviceCodeSchema, amount }).strict(),
]);
export type FlexAllocation = z.infer<typeof flexAllocationSchema>;

/** A purchased service: `quantity` (instances, events), `hours` or `days`, matching the catalogue unit. */
export const entitlementInputSchema = z
  .object({
    serviceCode: serviceCodeSchema,
    quantity: quantity().optional(),
    hours: hours().optional(),
    days: days().optional(),
  })
  .strict();
export type EntitlementInput = z.infer<typeof entitlementInputSchema>;

/** The amount of an entitlement in its catalogue unit, or an error text when the wrong field is given. */
export function purchasedAmount(e: EntitlementInput, catalogue: CatalogueEdition = DEFAULT_CATALOGUE): number | string {
  const unit = catalogue.services[e.serviceCode].unit;
  const given = (['quantity', 'hours', 'days'] as const).filter((k) => e[k] !== undefined);
  const field = unit === 'hours' ? 'hours' : unit === 'days' ? 'days' : 'quantity';
  if (given.some((k) => k !== field)) return `${e.serviceCode} is bought in ${unit}: give "${field}" only`;
  const value = e[field];
  if (value !== undefined) return value;
  return unit === 'instances' ? 1 : `${e.serviceCode} is bought in ${unit}: "${field}" is required`;
}

/** Body of POST /api/work-orders (api-contract.md). Structural errors → 400; rule checks are in validateWorkOrder. */
export const workOrderInputSchema = z
  .object({
    customerId: idSchema,
    number: text().min(1),
    signedAt: isoDate,
    term: termSchema,
    host: supportLocationSchema,
    downstream: list(supportLocationSchema).default([]),
    currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code'),
    /** Units of `currency` per USD (FLEX-2's USD floor); required when the currency is not USD. */
    usdRate: z.number().positive().optional(),
    basePackage: z
      .object({ listPrice: z.number().nonnegative(), flexAllowancePerYear: z.number().nonnegative() })
      .strict(),
    flexAllocations: list(flexAllocationSchema).default([]),
    entitlements: list(entitlementInputSchema).default([]),
    proactiveCredits: z
      .record(countryCodeSchema, z.number().int().nonnegative())
      .refine((r) => Object.keys(r).length <= MAX_ITEMS, `at most ${MAX_ITEMS} countries`)
      .default({}),
    /** HOURS-1: days made closed or working per support location. */
    calendar: workOrderCalendarSchema.optional(),
  })
  .strict()
  .superRefine((wo, ctx) => {
    // rule FLEX-2: the USD floor needs a rate in any other currency
    if (wo.currency !== 'USD' && wo.usdRate === undefined)
      ctx.addIssue({
        code: 'custom',
        message: `usdRate is required when the currency is ${wo.currency}`,
        path: ['usdRate'],
      });
    const countries = [wo.host.country, ...wo.downstream.map((d) => d.country)];
    countries.forEach((country, i) => {
      // Stryker disable next-line ConditionalExpression,EqualityOperator: the Host (index 0) is always its own first occurrence
      if (i > 0 && countries.indexOf(country) !== i) {
        ctx.addIssue({
          code: 'custom',
          message: `support location ${country} is listed twice`,
          path: ['downstream', i - 1, 'country'],
        });
      }
    });
    wo.entitlements.forEach((e, i) => {
      const result = purchasedAmount(e);
      if (typeof result === 'string') ctx.addIssue({ code: 'custom', message: result, path: ['entitlements', i] });
    });
  });
export type WorkOrderInput = z.output<typeof workOrderInputSchema>;
/** What a client may send (defaults not yet applied). */
export type WorkOrderRequestBody = z.input<typeof workOrderInputSchema>;
