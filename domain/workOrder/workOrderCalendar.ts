import { z } from 'zod';
import { countryCodeSchema } from '../catalogue/countries';
import type { CalendarOverrides } from '../calendar/businessCalendar';
import { RuleViolation } from '../ruleViolation';

const dates = z.array(z.iso.date()).max(366).default([]);

/** rule HOURS-1: days a Work Order makes closed or working at one support location. */
export const locationOverridesSchema = z
  .object({ closed: dates, open: dates })
  .strict()
  .superRefine((o, ctx) => {
    const both = o.closed.filter((d) => o.open.includes(d));
    if (both.length > 0)
      ctx.addIssue({
        code: 'custom',
        message: `a day cannot be both closed and open: ${both.join(', ')}`,
        path: ['open'],
      });
  });

/** Body of PUT /api/work-orders/{id}/calendar, and `calendar` at creation (HOURS-1). */
export const workOrderCalendarSchema = z
  .object({ locations: z.record(countryCodeSchema, locationOverridesSchema) })
  .strict();
export type WorkOrderCalendar = z.output<typeof workOrderCalendarSchema>;

/** rule HOURS-1, MN-1: overrides name support locations of the Work Order. */
export function assertCalendarLocations(
  calendar: WorkOrderCalendar,
  locations: readonly { country: string }[],
  path = 'locations',
): void {
  for (const country of Object.keys(calendar.locations))
    if (!locations.some((l) => l.country === country))
      throw new RuleViolation('MN-1', `${country} is not a support location on this Work Order.`, `${path}.${country}`);
}

/** rule HOURS-1: the overrides in force at one location, as the business calendar takes them. */
export function overridesAt(calendar: WorkOrderCalendar | undefined, country: string): CalendarOverrides | undefined {
  const at = calendar?.locations[country];
  return at ? { closedDays: at.closed, openDays: at.open } : undefined;
}

/** What a calendar change does, for the timeline: per location, the days added to closed and to open. */
export function describeCalendarChange(before: WorkOrderCalendar | undefined, after: WorkOrderCalendar): string {
  // Stryker disable next-line all: timeline wording, not a rule
  const countries = [...new Set([...Object.keys(before?.locations ?? {}), ...Object.keys(after.locations)])].sort();
  // Stryker disable next-line all: timeline wording, not a rule
  return (
    countries
      // Stryker disable next-line all: timeline wording, not a rule
      .map((country) => {
        // Stryker disable next-line all: timeline wording, not a rule
        const now = after.locations[country] ?? { closed: [], open: [] };
        // Stryker disable next-line all: timeline wording, not a rule
        return `${country}: closed ${now.closed.join(', ') || 'none'}; open ${now.open.join(', ') || 'none'}`;
      })
      // Stryker disable next-line all: timeline wording, not a rule
      .join('. ')
  );
}
