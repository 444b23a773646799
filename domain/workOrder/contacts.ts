import type { Channel } from '../sla/firstResponse';

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

/** rule CUST-CONTACT (and INC-1): reactive support contacts open requests by phone, web or e-mail; cloud administrators through the cloud portal. */
export function mayOpenIncident(
  contact: 'reactiveSupportContact' | 'cloudAdministrator' | 'other',
  channel: Channel,
): boolean {
  if (channel === 'azurePortal') return contact === 'cloudAdministrator';
  return contact === 'reactiveSupportContact';
}

/** rule MN-2: reactive services can be delivered remotely to any location; Base services where designated or allocated by the Host. */
export function mayDeliverAt(kind: 'reactive' | 'base', country: string, designated: readonly string[]): boolean {
  return kind === 'reactive' || designated.includes(country);
}
