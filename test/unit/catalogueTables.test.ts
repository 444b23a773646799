// The two tables of the catalogue edition, entry by entry, against rules.md (5.1 and sections 2, 3, 6) and the
// api-contract service codes: every target cell, exclusion, plan language, service row and edition default is pinned
// here, so a wrong entry fails a test naming its rule. Stryker's `tables` part runs these files alone
// (vitest.mutate.tables.config.ts).
import { describe, expect, it } from 'vitest';
import { supportLocationCalendar } from '../../domain/calendar/businessCalendar';
import { EXCEPTION_COUNTRIES } from '../../domain/catalogue/countries';
import {
  PLAN_LANGUAGES,
  PLAN_ORDER,
  RESPONSE_TARGETS,
  planCodeSchema,
  severitySchema,
  withConfiguredSevATargets,
  type PlanCode,
  type Severity,
} from '../../domain/catalogue/responseTargets';
import { proactiveCatalogue } from '../../domain/catalogue/proactiveTerms';
import {
  CYBER_OFFERING_CODES,
  DEFAULT_CATALOGUE,
  SERVICE_CODES,
  serviceCodeSchema,
  type ServiceEntry,
} from '../../domain/catalogue/serviceCatalogue';
import { firstResponseTarget, type Cloud, type IncidentFacts } from '../../domain/sla/firstResponse';

const nl = supportLocationCalendar({ country: 'NL', timeZone: 'Europe/Amsterdam' });
const SEVERITIES: Severity[] = ['1', 'A', 'B', 'C'];
const PLANS: PlanCode[] = ['BASE', 'UER', 'RAPID_RESPONSE', 'AEM'];

// rules.md 5.1, written out again from the text (not from the code)
const X1 = ['Azure StorSimple', 'GitHub AE', 'Azure Communication Services', 'Billing & Subscription Management'];
const X2 = [
  'Azure StorSimple',
  'GitHub AE',
  'A40',
  'Azure Media Services',
  'Azure Stack',
  'Test Base for M365',
  'Microsoft Mesh',
  'Universal Print',
];
const X3 = [
  'Azure Media Services',
  'Azure Stack',
  'Azure StorSimple',
  'GitHub AE',
  'Universal Print',
  'Test Base for M365',
  'Microsoft Mesh',
];

interface Product {
  readonly family: string;
  readonly service: string;
  readonly cloud?: Cloud;
}
const PRODUCTS: Product[] = [
  { family: 'Azure', service: 'Azure SQL Database' },
  { family: 'Azure', service: 'Azure SQL Database', cloud: 'AzureGovernment' },
  { family: 'Microsoft 365', service: 'Exchange Online' },
  ...[...new Set([...X1, ...X2, ...X3])].map((service) => ({ family: 'Azure', service })),
];

interface Expected {
  readonly plan: PlanCode;
  readonly minutes: number;
  readonly rule: string;
  readonly configurableDefault: boolean;
}

const azure = (p: Product) => p.family === 'Azure';
const base = (s: Severity, p: Product): Expected => ({
  plan: 'BASE',
  rule: 'RESP-BASE',
  configurableDefault: false,
  // RESP-BASE: Sev 1 Azure 15 (not for the RESP-X1 services), other 60; A 60; B 120; C 240
  minutes: { '1': azure(p) && !X1.includes(p.service) ? 15 : 60, A: 60, B: 120, C: 240 }[s],
});

/** What one plan alone gives an incident (as Base → the Base cell; not covered → the Base fallback, BUY-1). */
function expected(plan: PlanCode, s: Severity, p: Product): Expected {
  if (plan === 'BASE' || s === 'B' || s === 'C') return base(s, p);
  switch (plan) {
    case 'UER': {
      // RESP-UER: Sev 1 Azure 15, other 30; A 30. RESP-X2: US Gov clouds and the listed services get "other".
      const azureTarget = azure(p) && p.cloud !== 'AzureGovernment' && !X2.includes(p.service);
      return { plan, rule: 'RESP-UER', configurableDefault: false, minutes: s === '1' && azureTarget ? 15 : 30 };
    }
    case 'RAPID_RESPONSE':
      // RESP-RR, RESP-X3: Azure only, not the listed services; Sev 1 15, A 30 (configurable default)
      if (!azure(p) || X3.includes(p.service)) return base(s, p);
      return { plan, rule: 'RESP-RR', configurableDefault: s === 'A', minutes: s === '1' ? 15 : 30 };
    case 'AEM':
      // RESP-AEM: every product of the event solution; Sev 1 15, A 30 (no minute target in the seed: configurable)
      return { plan, rule: 'RESP-AEM', configurableDefault: s === 'A', minutes: s === '1' ? 15 : 30 };
  }
}

const cases = PLANS.flatMap((plan) =>
  SEVERITIES.flatMap((severity) => PRODUCTS.map((product) => ({ plan, severity, product }))),
);

describe('rules.md 5.1 first-response targets, cell by cell (RESP-BASE, RESP-UER, RESP-RR, RESP-AEM)', () => {
  it.each(cases)(
    'RESP-BASE/UER/RR/AEM, RESP-X1/X2/X3: $plan severity $severity for $product.service ($product.cloud)',
    ({ plan, severity, product }) => {
      const facts: IncidentFacts = {
        severity,
        product: { family: product.family, service: product.service },
        channel: 'azurePortal',
        description: 'AEM launch',
        location: 'NL',
        openedAt: '2027-03-05T09:00:00Z',
        ...(product.cloud ? { cloud: product.cloud } : {}),
      };
      const coverage = {
        plans: [plan],
        aemWindows: [{ from: '2027-03-05T00:00:00Z', to: '2027-03-06T00:00:00Z' }],
      };
      const target = firstResponseTarget(facts, coverage, nl);
      const want = expected(plan, severity, product);
      expect(target.candidates).toEqual([
        {
          plan: want.plan,
          targetMinutes: want.minutes,
          rule: want.rule,
          configurableDefault: want.configurableDefault,
        },
      ]);
    },
  );

  it('RESP-X1, RESP-X2, RESP-X3: the exclusion lists and excluded clouds are exactly those of rules.md', () => {
    expect(RESPONSE_TARGETS.BASE.azureExclusions).toEqual(X1);
    expect(RESPONSE_TARGETS.UER.azureExclusions).toEqual(X2);
    expect(RESPONSE_TARGETS.RAPID_RESPONSE.azureExclusions).toEqual(X3);
    expect(RESPONSE_TARGETS.AEM.azureExclusions).toEqual([]);
    expect(PLANS.map((p) => RESPONSE_TARGETS[p].exclusionRule)).toEqual(['RESP-X1', 'RESP-X2', 'RESP-X3', null]);
    expect(PLANS.map((p) => RESPONSE_TARGETS[p].excludedClouds)).toEqual([[], ['AzureGovernment'], [], []]);
    expect(PLANS.map((p) => RESPONSE_TARGETS[p].plan)).toEqual(PLANS);
  });

  it('RESP-PICK: the tie-break order is Base, UER, Rapid Response, AEM', () => {
    expect(PLAN_ORDER).toEqual(['BASE', 'UER', 'RAPID_RESPONSE', 'AEM']);
  });

  it('INC-2, RESP-PICK: exactly the four severities and the four plans are accepted', () => {
    expect(severitySchema.options).toEqual(['1', 'A', 'B', 'C']);
    expect(severitySchema.safeParse('D').success).toBe(false);
    expect(planCodeSchema.options).toEqual(PLANS);
    expect(planCodeSchema.safeParse('EDE').success).toBe(false);
  });

  it('RESP-RR, RESP-AEM: a configured Sev A target replaces only the configurable defaults', () => {
    const table = withConfiguredSevATargets(RESPONSE_TARGETS, { RAPID_RESPONSE: 20, AEM: 25 });
    expect(table.RAPID_RESPONSE.targets.A).toEqual({ azure: { minutes: 20, configurableDefault: true }, other: null });
    expect(table.AEM.targets.A).toEqual({
      azure: { minutes: 25, configurableDefault: true },
      other: { minutes: 25, configurableDefault: true },
    });
    expect(table.BASE).toBe(RESPONSE_TARGETS.BASE);
    expect(table.UER).toBe(RESPONSE_TARGETS.UER);
    expect(withConfiguredSevATargets(RESPONSE_TARGETS, {})).toEqual(RESPONSE_TARGETS);
    // an edition whose Sev A cell is "as Base" has no configurable default to replace
    const asBase = {
      ...RESPONSE_TARGETS,
      AEM: { ...RESPONSE_TARGETS.AEM, targets: { ...RESPONSE_TARGETS.AEM.targets, A: 'asBase' as const } },
    };
    expect(withConfiguredSevATargets(asBase, { AEM: 25 }).AEM).toBe(asBase.AEM);
  });

  it('RESP-X3, UER-5, AEM-4: plan languages (RR English and Japanese; UER EIM English, Chinese, Japanese; AEM English)', () => {
    expect(PLAN_LANGUAGES).toEqual({ RAPID_RESPONSE: ['en', 'ja'], UER: ['en', 'zh', 'ja'], AEM: ['en'] });
  });
});

type Mark = '✓' | '+';
type Row = [string, ServiceEntry['group'], Mark, ServiceEntry['unit'], Partial<ServiceEntry>?];
const US = ['UNIFIED_SUPPORT'] as const;
const dep1 = { requires: US, requiresRule: 'DEP-1' } as const;
// PRO-1 (categories, ✓/+), BUY-1..3, api-contract service codes and units, MN-6, DEP-1, DEP-2, PRO-2, DEVS-1,
// GHED-1, UER-5, CYB-2, CYB-3
const ROWS: Row[] = [
  ['PROOF_OF_CONCEPT', 'proactive', '+', 'instances', { category: 'planning' }],
  ['ONBOARDING', 'proactive', '+', 'instances', { category: 'implementation' }],
  ['ON_DEMAND_ASSESSMENT', 'proactive', '✓', 'instances', { category: 'maintenance' }],
  ['ASSESSMENT_PROGRAM', 'proactive', '+', 'instances', { category: 'maintenance' }],
  ['OFFLINE_ASSESSMENT', 'proactive', '+', 'instances', { category: 'maintenance' }],
  ['PROACTIVE_MONITORING', 'proactive', '+', 'instances', { category: 'maintenance' }],
  ['PROACTIVE_OPERATIONS_PROGRAM', 'proactive', '+', 'instances', { category: 'maintenance' }],
  ['RAP_AS_A_SERVICE', 'proactive', '+', 'instances', { category: 'maintenance' }],
  ['ADOPTION', 'proactive', '+', 'instances', { category: 'optimisation' }],
  ['DEV_SERVICES_INSIGHTS', 'proactive', '+', 'instances', { category: 'optimisation' }],
  ['DEV_SUPPORT_ASSISTANCE', 'proactive', '+', 'hours', { category: 'optimisation' }],
  ['IT_SERVICE_MANAGEMENT', 'proactive', '+', 'instances', { category: 'optimisation' }],
  ['SECURITY_SERVICES', 'proactive', '+', 'instances', { category: 'optimisation' }],
  ['ON_DEMAND_EDUCATION', 'proactive', '✓', 'instances', { category: 'education' }],
  ['WEBCASTS', 'proactive', '✓', 'instances', { category: 'education' }],
  ['CHALK_TALK', 'proactive', '+', 'instances', { category: 'education' }],
  ['WORKSHOP', 'proactive', '+', 'instances', { category: 'education' }],
  ['CUSTOM_PROACTIVE', 'proactive', '+', 'hours', { category: 'additional' }],
  [
    'SUPPORT_TECHNOLOGY_ADVISOR',
    'proactive',
    '+',
    'hours',
    { category: 'additional', unavailableIn: [...EXCEPTION_COUNTRIES] },
  ],
  ['PROACTIVE_ACCELERATOR', 'proactive', '+', 'instances', { category: 'additional' }],
  ['DESIGNATED_ENGINEERING', 'proactive', '+', 'hours', { category: 'additional' }],
  ['ADVISORY_SUPPORT', 'reactive', '✓', 'instances'],
  ['PROBLEM_RESOLUTION_SUPPORT', 'reactive', '✓', 'instances'],
  ['REACTIVE_SUPPORT_MANAGEMENT', 'reactive', '✓', 'instances'],
  ['ROOT_CAUSE_ANALYSIS', 'reactive', '+', 'instances'],
  ['RSM_ADDON', 'reactive', '+', 'hours'],
  ['SDM_CUSTOMER_ENABLEMENT', 'sdm', '✓', 'instances'],
  ['SDM_UPDATES_GUIDANCE', 'sdm', '✓', 'instances'],
  ['SDM_PROGRAM_MANAGEMENT', 'sdm', '✓', 'instances'],
  ['SDM_ONBOARDING', 'sdm', '✓', 'instances'],
  ['SDM_EXECUTIVE_RELATIONSHIP', 'sdm', '✓', 'instances'],
  ['CLOUD_SUCCESS_PROGRAM', 'sdm', '+', 'instances'],
  ['CSA_DEVELOPER_ADVOCATE', 'sdm', '+', 'hours'],
  ['SDM_ADDON', 'sdm', '+', 'hours'],
  ['SDM_ONSITE', 'sdm', '+', 'days', { delivery: 'onSite' }],
  ['EDE', 'enhanced', '+', 'hours', dep1],
  ['REDE', 'enhanced', '+', 'hours', dep1],
  ['UER', 'enhanced', '+', 'instances', { reviews: 'quarterly' }],
  ['RAPID_RESPONSE', 'enhanced', '+', 'instances'],
  ['AEM', 'enhanced', '+', 'events'],
  ['O365_ENGINEERING_DIRECT', 'enhanced', '+', 'instances'],
  ['DEVELOPER_SUPPORT', 'enhanced', '+', 'instances', { maxQuantity: 10 }],
  ['GITHUB_ENGINEERING_DIRECT', 'enhanced', '+', 'instances', { reviews: 'quarterly' }],
  ['SUPPORT_FOR_MISSION_CRITICAL', 'enhanced', '+', 'instances', dep1],
  [
    'AZURE_ENGINEERING_DIRECT',
    'enhanced',
    '+',
    'instances',
    { requires: ['UNIFIED_SUPPORT', 'RAPID_RESPONSE'], requiresRule: 'DEP-2' },
  ],
  ['CYBER_INCIDENT_RESPONSE', 'cybersecurity', '+', 'days', { ...dep1, hoursPerDay: 8, minDays: 5 }],
  [
    'CYBER_INCIDENT_RESPONSE_ONSITE',
    'cybersecurity',
    '+',
    'days',
    { ...dep1, hoursPerDay: 8, minDays: 5, delivery: 'onSite' },
  ],
  ['CYBER_INCIDENT_RESPONSE_1DAY', 'cybersecurity', '+', 'days', { ...dep1, hoursPerDay: 32, minDays: 1 }],
  ['O365_INCIDENT_RESPONSE', 'cybersecurity', '+', 'days', { ...dep1, hoursPerDay: 8, minDays: 5 }],
  ['CYBER_OPERATIONS_SERVICE', 'cybersecurity', '+', 'days', { ...dep1, hoursPerDay: 8, minDays: 5 }],
  ['CYBER_CRISIS_WORKSHOP', 'cybersecurity', '+', 'days', { ...dep1, hoursPerDay: 8, minDays: 3 }],
];

describe('the service catalogue, row by row (PRO-1, BUY-1..5, MN-6, DEP-1, DEP-2, PRO-2, DEVS-1, GHED-1, CYB-2)', () => {
  it('api-contract service codes: exactly these 51 codes, in catalogue order; CYB-1: the six cyber offerings', () => {
    expect([...SERVICE_CODES]).toEqual(ROWS.map(([code]) => code));
    expect(serviceCodeSchema.options).toEqual([...SERVICE_CODES]);
    expect(serviceCodeSchema.safeParse('CREDITS').success).toBe(false);
    expect([...CYBER_OFFERING_CODES]).toEqual([
      'CYBER_INCIDENT_RESPONSE',
      'CYBER_INCIDENT_RESPONSE_ONSITE',
      'CYBER_INCIDENT_RESPONSE_1DAY',
      'O365_INCIDENT_RESPONSE',
      'CYBER_OPERATIONS_SERVICE',
      'CYBER_CRISIS_WORKSHOP',
    ]);
  });

  it.each(ROWS)('PRO-1, BUY-1..3, DEP-1/2, CYB-2: %s', (code, group, mark, unit, extra = {}) => {
    expect(DEFAULT_CATALOGUE.services[code as ServiceEntry['code']]).toEqual({
      code,
      group,
      includedInBase: mark === '✓',
      unit,
      unavailableIn: [],
      requires: [],
      delivery: 'remote',
      ...extra,
    });
  });
});

describe('PRO-1 proactive catalogue of an edition', () => {
  it('PRO-1: only proactive services are listed by category, even where an edition gives another service a category', () => {
    const edition = {
      ...DEFAULT_CATALOGUE,
      services: {
        ...DEFAULT_CATALOGUE.services,
        EDE: { ...DEFAULT_CATALOGUE.services.EDE, category: 'additional' as const },
      },
    };
    expect(proactiveCatalogue(edition).additional).toEqual(proactiveCatalogue().additional);
    expect(proactiveCatalogue(edition).additional).not.toContain('EDE');
  });
});

describe('the edition defaults (REQ-60, CANCEL-14, AEM-2, AEM-3, AEM-5, AEM-7, ADV-1, UER-4, CYB-5, RCA-2, FLEX-2)', () => {
  it('REQ-60, CANCEL-14, AEM-2, AEM-3, AEM-5, AEM-7, ADV-1, UER-4, CYB-5, RCA-2, FLEX-2, HOURS-1: the seed edition', () => {
    const { services, responseTargets, ...edition } = DEFAULT_CATALOGUE;
    expect(responseTargets).toBe(RESPONSE_TARGETS);
    expect(Object.keys(services)).toEqual([...SERVICE_CODES]);
    expect(edition).toEqual({
      edition: 'seed-nl',
      flex: { creditsShare: 0.2, creditsFloor: 50_000, creditsFloorCurrency: 'USD' }, // FLEX-2: 20 %, USD 50,000
      locationHours: {}, // HOURS-1: 09:00–17:30 everywhere unless configured
      requestLeadDays: 60, // REQ-60
      cancellationNoticeDays: 14, // CANCEL-14
      // AEM-2: up to 5 days; AEM-3: 42 days' notice; AEM-5: assessment lead (product default); AEM-7: follow-up
      aem: { maxDaysPerEvent: 5, noticeDays: 42, assessmentLeadDays: 14, followUpHours: 24, followUpDays: 30 },
      advisoryMaxHoursPerCase: 6, // ADV-1
      uerOnboardingDays: 60, // UER-4
      cyberDeliverableDays: 10, // CYB-5
      rca: { technologiesWithoutRca: [], extraCostMayApply: true }, // RCA-2
    });
  });
});
