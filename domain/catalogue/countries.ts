import { z } from 'zod';

/** ISO 3166-1 alpha-2 country code of a support location. */
export const countryCodeSchema = z
  .string()
  .regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 country code such as "NL"');
export type CountryCode = z.infer<typeof countryCodeSchema>;

/**
 * Exception countries (rule MN-5): India, China (PRC), Taiwan, Hong Kong, Korea, Japan, New Zealand,
 * Macau, Australia. Each needs its own Work Order, is invoiced separately, and trades no credits.
 */
export const EXCEPTION_COUNTRIES: ReadonlySet<string> = new Set(['IN', 'CN', 'TW', 'HK', 'KR', 'JP', 'NZ', 'MO', 'AU']);

// rule MN-5
export function isExceptionCountry(country: string): boolean {
  return EXCEPTION_COUNTRIES.has(country);
}

// rule MN-7: one consolidated invoice covers every location except the exception countries.
export function invoiceGroups(locations: readonly string[]): { consolidated: string[]; separate: string[] } {
  return {
    consolidated: locations.filter((c) => !isExceptionCountry(c)),
    separate: locations.filter((c) => isExceptionCountry(c)),
  };
}

/**
 * Country whose public holidays apply to an IANA time zone (CYB-4 product default: the agreed zone's
 * country). Data, extend as needed; callers may also pass the country explicitly.
 */
export const TIME_ZONE_COUNTRY: Readonly<Record<string, string>> = {
  'America/Los_Angeles': 'US',
  'America/Denver': 'US',
  'America/Phoenix': 'US',
  'America/Chicago': 'US',
  'America/New_York': 'US',
  'America/Anchorage': 'US',
  'Pacific/Honolulu': 'US',
  'America/Toronto': 'CA',
  'America/Vancouver': 'CA',
  'America/Mexico_City': 'MX',
  'America/Sao_Paulo': 'BR',
  'Europe/Amsterdam': 'NL',
  'Europe/Berlin': 'DE',
  'Europe/Brussels': 'BE',
  'Europe/Paris': 'FR',
  'Europe/London': 'GB',
  'Europe/Dublin': 'IE',
  'Europe/Madrid': 'ES',
  'Europe/Rome': 'IT',
  'Europe/Zurich': 'CH',
  'Europe/Vienna': 'AT',
  'Europe/Stockholm': 'SE',
  'Europe/Oslo': 'NO',
  'Europe/Copenhagen': 'DK',
  'Europe/Helsinki': 'FI',
  'Europe/Warsaw': 'PL',
  'Europe/Lisbon': 'PT',
  'Asia/Tokyo': 'JP',
  'Asia/Seoul': 'KR',
  'Asia/Shanghai': 'CN',
  'Asia/Hong_Kong': 'HK',
  'Asia/Taipei': 'TW',
  'Asia/Kolkata': 'IN',
  'Asia/Singapore': 'SG',
  'Asia/Macau': 'MO',
  'Australia/Sydney': 'AU',
  'Australia/Melbourne': 'AU',
  'Pacific/Auckland': 'NZ',
};

export function countryOfTimeZone(timeZone: string): string | undefined {
  return TIME_ZONE_COUNTRY[timeZone];
}
