import Holidays from 'date-holidays';

export interface PublicHoliday {
  /** Local calendar date, YYYY-MM-DD. */
  readonly date: string;
  readonly name: string;
}

const libraries = new Map<string, Holidays>();
const listCache = new Map<string, readonly PublicHoliday[]>();
const setCache = new Map<string, ReadonlySet<string>>();

function libraryFor(country: string): Holidays {
  let library = libraries.get(country);
  // Stryker disable next-line ConditionalExpression: a fresh library gives the same holidays, only slower
  if (!library) {
    library = new Holidays();
    library.init(country);
    if (library.getCountries()[country] === undefined) throw new Error(`no holiday data for country "${country}"`);
    libraries.set(country, library);
  }
  return library;
}

/**
 * The public holidays of a country in a year, from the date-holidays library: only days it types
 * `public` (rule HOURS-1) — never school, bank, optional days or observances. Cached per country-year.
 */
export function publicHolidayList(country: string, year: number): readonly PublicHoliday[] {
  const key = `${country}:${year}`;
  let list = listCache.get(key);
  if (!list) {
    // rule HOURS-1: `public` type only
    list = libraryFor(country)
      .getHolidays(year)
      .filter((h) => h.type === 'public')
      .map((h) => ({ date: h.date.slice(0, 10), name: h.name }));
    listCache.set(key, list);
  }
  return list;
}

/** Set of YYYY-MM-DD public-holiday dates for a country-year (cached). */
export function publicHolidays(country: string, year: number): ReadonlySet<string> {
  const key = `${country}:${year}`;
  let set = setCache.get(key);
  if (!set) {
    set = new Set(publicHolidayList(country, year).map((h) => h.date));
    setCache.set(key, set);
  }
  return set;
}

/** Signature of a holiday source, so callers and tests can swap in their own. */
export type HolidaySource = (country: string, year: number) => ReadonlySet<string>;
