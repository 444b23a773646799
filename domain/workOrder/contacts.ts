import { z } from 'zod';
import { countryCodeSchema, invoiceGroups } from '../catalogue/countries';
import { RuleViolation } from '../ruleViolation';
import type { SupportLocation } from './workOrderSchema';

/** rule MN-1 (and BUY-4, multinational delivery at the listed locations): the Host is where the Base package is contracted; every other location is Downstream. */
export function locationRole(
  locations: { host: { country: string }; downstream: readonly { country: string }[] },
  country: string,
): 'host' | 'downstream' | null {
  if (locations.host.country === country) return 'host';
  return locations.downstream.some((d) => d.country === country) ? 'downstream' : null;
}

/**
 * rule MN-8, CUST-SSM: the customer names an SSM for the Host location (and, where needed, per location).
 * Returns the locations still lacking one; the Host always needs one.
 */
export function locationsMissingSsm(
  hostCountry: string,
  ssmByCountry: Readonly<Record<string, string | undefined>>,
  perLocation: readonly string[] = [],
): string[] {
  return [hostCountry, ...perLocation.filter((c) => c !== hostCountry)].filter((c) => !ssmByCountry[c]);
}

/** rule MN-2: reactive services can be delivered remotely to any location; Base services where designated or allocated by the Host. */
export function mayDeliverAt(kind: 'reactive' | 'base', country: string, designated: readonly string[]): boolean {
  return kind === 'reactive' || designated.includes(country);
}

const contact = z.object({ name: z.string().trim().min(1).max(256), email: z.email().max(256) }).strict();
export type NamedContact = z.infer<typeof contact>;

/** Body of PUT /api/work-orders/{id}/contacts (CUST-SSM, CUST-CONTACT, MN-8). */
export const contactsSchema = z
  .object({
    ssm: contact,
    perLocation: z.record(countryCodeSchema, contact).optional(),
    reactiveContacts: z.array(contact).max(100).default([]),
    cloudAdministrators: z.array(contact).max(100).default([]),
  })
  .strict();
export type Contacts = z.output<typeof contactsSchema>;

/** A support location as the Work Order shows it (BUY-4, MN-1, MN-3, MN-7, MN-8). */
export interface SupportLocationView {
  readonly country: string;
  readonly timeZone: string;
  /** rule MN-1 */
  readonly role: 'host' | 'downstream';
  /** rule MN-7: exception countries are invoiced separately with local taxes. */
  readonly invoice: 'consolidated' | 'separate';
  /** rule MN-8: the SSM named for this location (the Host's SSM unless one is named per location), or null. */
  readonly ssm: NamedContact | null;
  /** rule MN-3: SDM (allocated and managed by the Host) is delivered in the Host's business hours. */
  readonly sdmHoursOf: string;
}

/** The Work Order's support locations with their role, invoice group and SSM (MN-1, MN-7, MN-8, MN-3). */
export function supportLocations(
  locations: { host: SupportLocation; downstream: readonly SupportLocation[] },
  contacts?: Contacts,
): SupportLocationView[] {
  const all = [locations.host, ...locations.downstream];
  const invoices = invoiceGroups(all.map((l) => l.country)); // rule MN-7
  const ssmByCountry: Record<string, NamedContact | undefined> = { ...contacts?.perLocation };
  if (contacts) ssmByCountry[locations.host.country] ??= contacts.ssm;
  return all.map((l) => ({
    country: l.country,
    timeZone: l.timeZone,
    // Stryker disable next-line LogicalOperator,StringLiteral: every listed location has a role (the fallback is for the type)
    role: locationRole(locations, l.country) ?? 'downstream',
    invoice: invoices.consolidated.includes(l.country) ? 'consolidated' : 'separate',
    ssm: ssmByCountry[l.country] ?? null,
    sdmHoursOf: locations.host.country,
  }));
}

/**
 * rule CUST-SSM, MN-8: names the Work Order's contacts; a per-location SSM must be for one of its support locations.
 * Returns the contacts and the locations still without an SSM of their own (the Host always has the named one).
 */
export function nameContacts(
  locations: { host: SupportLocation; downstream: readonly SupportLocation[] },
  contacts: Contacts,
): { contacts: Contacts; withoutOwnSsm: string[] } {
  const countries = [locations.host.country, ...locations.downstream.map((d) => d.country)];
  for (const country of Object.keys(contacts.perLocation ?? {}))
    if (!countries.includes(country))
      throw new RuleViolation(
        'MN-8',
        `${country} is not a support location on this Work Order.`,
        `perLocation.${country}`,
      );
  const ssmByCountry = Object.fromEntries(
    Object.entries(contacts.perLocation ?? {}).map(([c, v]) => [c, v.email]),
  ) as Record<string, string | undefined>;
  ssmByCountry[locations.host.country] ??= contacts.ssm.email;
  return { contacts, withoutOwnSsm: locationsMissingSsm(locations.host.country, ssmByCountry, countries) };
}
