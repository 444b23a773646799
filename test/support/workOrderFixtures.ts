/**
 * A valid POST /api/work-orders body shaped like the api-contract example: a two-year term with both flex years
 * fully allocated within FLEX-2, Host NL. Tests override what they are about.
 */
export function workOrderBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    customerId: 'contoso',
    number: 'WO-1001',
    signedAt: '2026-12-15',
    term: { start: '2027-01-01', end: '2028-12-31' },
    host: { country: 'NL', timeZone: 'Europe/Amsterdam' },
    downstream: [],
    currency: 'USD',
    basePackage: { listPrice: 1200000, flexAllowancePerYear: 150000 },
    flexAllocations: [
      { year: 1, target: 'proactiveCredits', amount: 50000 },
      { year: 1, target: 'service', serviceCode: 'RAP_AS_A_SERVICE', amount: 100000 },
      { year: 2, target: 'proactiveCredits', amount: 50000 },
      { year: 2, target: 'service', serviceCode: 'RAP_AS_A_SERVICE', amount: 100000 },
    ],
    entitlements: [],
    proactiveCredits: { NL: 200 },
    ...overrides,
  };
}
