import { DateTime } from 'luxon';
import { z } from 'zod';

/**
 * The bounds every input shares (api-contract.md, Conventions): one id shape, bounded strings, arrays and amounts.
 * Malformed input is refused here, before anything reaches storage.
 */

/** Letters, digits and `-_.:` only: safe as a Table key, in a URL and in a Durable instance ID. */
// Stryker disable next-line Regex: static (built at import: Stryker's vitest runner never activates a mutant there, stryker-js #6144); checked by hand against test/unit/lifecycleCatalogueRootRules.test.ts (input bounds)
export const ID_PATTERN = /^[A-Za-z0-9_.:-]+$/;
/** Ids that callers choose (incident ids, event ids, customer ids). */
export const MAX_ID_LENGTH = 128;
/** Path ids may carry a prefix the product adds (lifecycle instance ids). */
export const MAX_PATH_ID_LENGTH = 160;

// Stryker disable next-line StringLiteral: static (built at import: Stryker's vitest runner never activates a mutant there, stryker-js #6144); checked by hand against test/unit/lifecycleCatalogueRootRules.test.ts (input bounds)
export const ID_MESSAGE = 'letters, digits, "-", "_", "." and ":" only, at most 128 characters';

/** Every id in a body or a ticket message. */
// Stryker disable next-line MethodExpression: static (built at import: Stryker's vitest runner never activates a mutant there, stryker-js #6144); checked by hand against test/unit/lifecycleCatalogueRootRules.test.ts (input bounds)
export const idSchema = z.string().min(1).max(MAX_ID_LENGTH).regex(ID_PATTERN, ID_MESSAGE);

/** Whether a route parameter could be an id the product issued; anything else answers 404 as if missing. */
export function isPathId(value: string): boolean {
  return value.length <= MAX_PATH_ID_LENGTH && ID_PATTERN.test(value); // the pattern needs at least one character
}

export const MAX_TEXT = 256;
export const MAX_LONG_TEXT = 4000;
export const MAX_ITEMS = 100;
export const MAX_DAYS = 365;
export const MAX_HOURS = 100_000;
export const MAX_QUANTITY = 1000;
export const MAX_TERM_YEARS = 5;

/** A short string (names, numbers, product names). */
export const text = () => z.string().max(MAX_TEXT);
/** `description`, `reason`, `detail`. */
export const longText = () => z.string().max(MAX_LONG_TEXT);
/** An array of at most 100 items. */
export const list = <T extends z.ZodType>(item: T) => z.array(item).max(MAX_ITEMS);
export const days = () => z.number().int().positive().max(MAX_DAYS);
export const hours = () => z.number().positive().max(MAX_HOURS);
export const quantity = () => z.number().int().positive().max(MAX_QUANTITY);

/** A term ends at most 5 years after it starts (and not before). */
export function termWithinBounds(term: { start: string; end: string }): boolean {
  // Stryker disable next-line ObjectLiteral: a date plus whole years is the same date in any zone
  const limit = DateTime.fromISO(term.start, { zone: 'utc' }).plus({ years: MAX_TERM_YEARS }).toISODate();
  // Stryker disable next-line ConditionalExpression: an invalid start gives no limit, and a date string is never <= null
  return limit !== null && term.end <= limit;
}
