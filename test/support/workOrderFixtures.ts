/**
 * A valid POST /api/work-orders body shaped like the api-contract example: a two-year term with both flex years
 * fully allocated within FLEX-2, Host NL. Tests override what they are about (shared with the benchmarks).
 */
export { FLEX_YEAR_1, workOrderBody } from '../../bench/support';
