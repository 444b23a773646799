import type { LocationHoursTable } from '../calendar/businessCalendar';
import { z } from 'zod';
import { EXCEPTION_COUNTRIES } from './countries';
import { RESPONSE_TARGETS, type ResponseTargetTable } from './responseTargets';

/** rule CYB-1: the cybersecurity offerings. */
export const CYBER_OFFERING_CODES = [
  'CYBER_INCIDENT_RESPONSE',
  'CYBER_INCIDENT_RESPONSE_ONSITE',
  'CYBER_INCIDENT_RESPONSE_1DAY',
  'O365_INCIDENT_RESPONSE',
  'CYBER_OPERATIONS_SERVICE',
  'CYBER_CRISIS_WORKSHOP',
] as const;

export const SERVICE_CODES = [
  // Proactive
  'PROOF_OF_CONCEPT',
  'ONBOARDING',
  'ON_DEMAND_ASSESSMENT',
  'ASSESSMENT_PROGRAM',
  'OFFLINE_ASSESSMENT',
  'PROACTIVE_MONITORING',
  'PROACTIVE_OPERATIONS_PROGRAM',
  'RAP_AS_A_SERVICE',
  'ADOPTION',
  'DEV_SERVICES_INSIGHTS',
  'DEV_SUPPORT_ASSISTANCE',
  'IT_SERVICE_MANAGEMENT',
  'SECURITY_SERVICES',
  'ON_DEMAND_EDUCATION',
  'WEBCASTS',
  'CHALK_TALK',
  'WORKSHOP',
  'CUSTOM_PROACTIVE',
  'SUPPORT_TECHNOLOGY_ADVISOR',
  'PROACTIVE_ACCELERATOR',
  'DESIGNATED_ENGINEERING',
  // Reactive
  'ADVISORY_SUPPORT',
  'PROBLEM_RESOLUTION_SUPPORT',
  'REACTIVE_SUPPORT_MANAGEMENT',
  'ROOT_CAUSE_ANALYSIS',
  'RSM_ADDON',
  // Service Delivery Management
  'SDM_CUSTOMER_ENABLEMENT',
  'SDM_UPDATES_GUIDANCE',
  'SDM_PROGRAM_MANAGEMENT',
  'SDM_ONBOARDING',
  'SDM_EXECUTIVE_RELATIONSHIP',
  'CLOUD_SUCCESS_PROGRAM',
  'CSA_DEVELOPER_ADVOCATE',
  'SDM_ADDON',
  'SDM_ONSITE',
  // Enhanced solutions
  'EDE',
  'REDE',
  'UER',
  'RAPID_RESPONSE',
  'AEM',
  'O365_ENGINEERING_DIRECT',
  'DEVELOPER_SUPPORT',
  'GITHUB_ENGINEERING_DIRECT',
  'SUPPORT_FOR_MISSION_CRITICAL',
  'AZURE_ENGINEERING_DIRECT',
  ...CYBER_OFFERING_CODES,
] as const;

export const serviceCodeSchema = z.enum(SERVICE_CODES);
export type ServiceCode = z.infer<typeof serviceCodeSchema>;

export type ServiceGroup = 'proactive' | 'reactive' | 'sdm' | 'enhanced' | 'cybersecurity';
export type ServiceUnit = 'hours' | 'days' | 'events' | 'credits' | 'instances';
/** PRO-1 sub-categories of the proactive catalogue. */
export type ProactiveCategory =
  'planning' | 'implementation' | 'maintenance' | 'optimisation' | 'education' | 'additional';
/** What must be current for a service to run: the Unified Support agreement itself, or Rapid Response. */
export type Prerequisite = 'UNIFIED_SUPPORT' | 'RAPID_RESPONSE';

export interface ServiceEntry {
  readonly code: ServiceCode;
  readonly group: ServiceGroup;
  readonly category?: ProactiveCategory;
  /** ✓ in the catalogue (BUY-1); otherwise an add-on, marked + (BUY-2, BUY-3). */
  readonly includedInBase: boolean;
  readonly unit: ServiceUnit;
  /** Countries where the service is not offered (BUY-5, MN-6). */
  readonly unavailableIn: readonly string[];
  /** Agreements that must be current; the service ends when any of them ends (DEP-1, DEP-2). */
  readonly requires: readonly Prerequisite[];
  readonly requiresRule?: 'DEP-1' | 'DEP-2';
  /** PRO-2: remote unless agreed in writing and paid, or sold on-site. */
  readonly delivery: 'remote' | 'onSite';
  /** DEVS-1: a limited maximum quantity; `null` = the seed states none (configure per edition). */
  readonly maxQuantity?: number | null;
  /** Recurring reviews included (GHED-1, UER-5). */
  readonly reviews?: 'quarterly';
  /** Hours in one unit where the unit is a day (CYB-2, CYB-3). */
  readonly hoursPerDay?: number;
  /** Minimum engagement length in days (CYB-2). */
  readonly minDays?: number;
}

/** A whole edition of the services description: a new edition is a new value of this type. */
export interface CatalogueEdition {
  readonly edition: string;
  readonly services: Readonly<Record<ServiceCode, ServiceEntry>>;
  readonly responseTargets: ResponseTargetTable;
  readonly flex: {
    readonly creditsShare: number;
    readonly creditsFloor: number;
    readonly creditsFloorCurrency: string;
  };
  /** HOURS-1: opening hours that differ from 09:00–17:30 per country (configuration; none by default). */
  readonly locationHours: LocationHoursTable;
  /** REQ-60 */ readonly requestLeadDays: number;
  /** CANCEL-14 */ readonly cancellationNoticeDays: number;
  /**
   * AEM-2, AEM-3; AEM-5: the pre-event assessment starts `assessmentLeadDays` before the window (product
   * default, configurable: the seed only says "before the window").
   */
  readonly aem: {
    readonly maxDaysPerEvent: number;
    readonly noticeDays: number;
    readonly assessmentLeadDays: number;
    /** AEM-7: how often, and for how many days after the window, the provider follows unresolved cases. */
    readonly followUpHours: number;
    readonly followUpDays: number;
  };
  /** ADV-1 */ readonly advisoryMaxHoursPerCase: number;
  /** UER-4 */ readonly uerOnboardingDays: number;
  /** CYB-5 */ readonly cyberDeliverableDays: number;
  /** RCA-2: technologies without RCA (none by default) and whether extra cost may apply. */
  readonly rca: { readonly technologiesWithoutRca: readonly string[]; readonly extraCostMayApply: boolean };
}

type Row = [ServiceCode, ServiceGroup, boolean, ServiceUnit, Partial<ServiceEntry>?];
const EXCEPTIONS = [...EXCEPTION_COUNTRIES];
const US: Prerequisite[] = ['UNIFIED_SUPPORT'];

// The catalogue table (PRO-1, section 6, api-contract service codes). ✓ = true in the third column.
const ROWS: Row[] = [
  ['PROOF_OF_CONCEPT', 'proactive', false, 'instances', { category: 'planning' }],
  ['ONBOARDING', 'proactive', false, 'instances', { category: 'implementation' }],
  ['ON_DEMAND_ASSESSMENT', 'proactive', true, 'instances', { category: 'maintenance' }],
  ['ASSESSMENT_PROGRAM', 'proactive', false, 'instances', { category: 'maintenance' }],
  ['OFFLINE_ASSESSMENT', 'proactive', false, 'instances', { category: 'maintenance' }],
  ['PROACTIVE_MONITORING', 'proactive', false, 'instances', { category: 'maintenance' }],
  ['PROACTIVE_OPERATIONS_PROGRAM', 'proactive', false, 'instances', { category: 'maintenance' }],
  ['RAP_AS_A_SERVICE', 'proactive', false, 'instances', { category: 'maintenance' }],
  ['ADOPTION', 'proactive', false, 'instances', { category: 'optimisation' }],
  ['DEV_SERVICES_INSIGHTS', 'proactive', false, 'instances', { category: 'optimisation' }],
  ['DEV_SUPPORT_ASSISTANCE', 'proactive', false, 'hours', { category: 'optimisation' }],
  ['IT_SERVICE_MANAGEMENT', 'proactive', false, 'instances', { category: 'optimisation' }],
  ['SECURITY_SERVICES', 'proactive', false, 'instances', { category: 'optimisation' }],
  ['ON_DEMAND_EDUCATION', 'proactive', true, 'instances', { category: 'education' }],
  ['WEBCASTS', 'proactive', true, 'instances', { category: 'education' }],
  ['CHALK_TALK', 'proactive', false, 'instances', { category: 'education' }],
  ['WORKSHOP', 'proactive', false, 'instances', { category: 'education' }],
  ['CUSTOM_PROACTIVE', 'proactive', false, 'hours', { category: 'additional' }],
  // rule MN-6: not available in exception countries
  ['SUPPORT_TECHNOLOGY_ADVISOR', 'proactive', false, 'hours', { category: 'additional', unavailableIn: EXCEPTIONS }],
  ['PROACTIVE_ACCELERATOR', 'proactive', false, 'instances', { category: 'additional' }],
  ['DESIGNATED_ENGINEERING', 'proactive', false, 'hours', { category: 'additional' }],
  ['ADVISORY_SUPPORT', 'reactive', true, 'instances'],
  ['PROBLEM_RESOLUTION_SUPPORT', 'reactive', true, 'instances'],
  ['REACTIVE_SUPPORT_MANAGEMENT', 'reactive', true, 'instances'],
  ['ROOT_CAUSE_ANALYSIS', 'reactive', false, 'instances'],
  ['RSM_ADDON', 'reactive', false, 'hours'],
  ['SDM_CUSTOMER_ENABLEMENT', 'sdm', true, 'instances'],
  ['SDM_UPDATES_GUIDANCE', 'sdm', true, 'instances'],
  ['SDM_PROGRAM_MANAGEMENT', 'sdm', true, 'instances'],
  ['SDM_ONBOARDING', 'sdm', true, 'instances'],
  ['SDM_EXECUTIVE_RELATIONSHIP', 'sdm', true, 'instances'],
  ['CLOUD_SUCCESS_PROGRAM', 'sdm', false, 'instances'],
  ['CSA_DEVELOPER_ADVOCATE', 'sdm', false, 'hours'],
  ['SDM_ADDON', 'sdm', false, 'hours'],
  ['SDM_ONSITE', 'sdm', false, 'days', { delivery: 'onSite' }],
  // rule DEP-1: EDE, REDE, Mission Critical and Cybersecurity need a current Unified Support agreement
  ['EDE', 'enhanced', false, 'hours', { requires: US, requiresRule: 'DEP-1' }],
  ['REDE', 'enhanced', false, 'hours', { requires: US, requiresRule: 'DEP-1' }],
  ['UER', 'enhanced', false, 'instances', { reviews: 'quarterly' }],
  ['RAPID_RESPONSE', 'enhanced', false, 'instances'],
  ['AEM', 'enhanced', false, 'events'],
  ['O365_ENGINEERING_DIRECT', 'enhanced', false, 'instances'],
  // rule DEVS-1: limited maximum quantity; the seed names no number: 10 per Work Order (product default, per edition)
  ['DEVELOPER_SUPPORT', 'enhanced', false, 'instances', { maxQuantity: 10 }],
  // rule GHED-1
  ['GITHUB_ENGINEERING_DIRECT', 'enhanced', false, 'instances', { reviews: 'quarterly' }],
  ['SUPPORT_FOR_MISSION_CRITICAL', 'enhanced', false, 'instances', { requires: US, requiresRule: 'DEP-1' }],
  // rule DEP-2: Azure Engineering Direct needs Unified Support and Rapid Response
  [
    'AZURE_ENGINEERING_DIRECT',
    'enhanced',
    false,
    'instances',
    { requires: ['UNIFIED_SUPPORT', 'RAPID_RESPONSE'], requiresRule: 'DEP-2' },
  ],
  // rule CYB-2: every engagement lasts at least 5 days, except the Workshop (3) and the 1-day Remote
  [
    'CYBER_INCIDENT_RESPONSE',
    'cybersecurity',
    false,
    'days',
    { requires: US, requiresRule: 'DEP-1', hoursPerDay: 8, minDays: 5 },
  ],
  [
    'CYBER_INCIDENT_RESPONSE_ONSITE',
    'cybersecurity',
    false,
    'days',
    { requires: US, requiresRule: 'DEP-1', hoursPerDay: 8, minDays: 5, delivery: 'onSite' },
  ],
  // rule CYB-2: one day of 32 hours (a team of 4 for 8 hours)
  [
    'CYBER_INCIDENT_RESPONSE_1DAY',
    'cybersecurity',
    false,
    'days',
    { requires: US, requiresRule: 'DEP-1', hoursPerDay: 32, minDays: 1 },
  ],
  [
    'O365_INCIDENT_RESPONSE',
    'cybersecurity',
    false,
    'days',
    { requires: US, requiresRule: 'DEP-1', hoursPerDay: 8, minDays: 5 },
  ],
  [
    'CYBER_OPERATIONS_SERVICE',
    'cybersecurity',
    false,
    'days',
    { requires: US, requiresRule: 'DEP-1', hoursPerDay: 8, minDays: 5 },
  ],
  [
    'CYBER_CRISIS_WORKSHOP',
    'cybersecurity',
    false,
    'days',
    { requires: US, requiresRule: 'DEP-1', hoursPerDay: 8, minDays: 3 },
  ],
];

function buildServices(rows: Row[]): Record<ServiceCode, ServiceEntry> {
  const services = {} as Record<ServiceCode, ServiceEntry>;
  for (const [code, group, includedInBase, unit, extra] of rows) {
    services[code] = {
      code,
      group,
      includedInBase,
      unit,
      unavailableIn: [],
      requires: [],
      delivery: 'remote',
      ...extra,
    };
  }
  return services;
}

/** The edition the product ships with (Dutch seed services description). */
export const DEFAULT_CATALOGUE: CatalogueEdition = {
  edition: 'seed-nl',
  services: buildServices(ROWS),
  responseTargets: RESPONSE_TARGETS,
  flex: { creditsShare: 0.2, creditsFloor: 50_000, creditsFloorCurrency: 'USD' },
  locationHours: {},
  requestLeadDays: 60,
  cancellationNoticeDays: 14,
  aem: { maxDaysPerEvent: 5, noticeDays: 42, assessmentLeadDays: 14, followUpHours: 24, followUpDays: 30 },
  advisoryMaxHoursPerCase: 6,
  uerOnboardingDays: 60,
  cyberDeliverableDays: 10,
  rca: { technologiesWithoutRca: [], extraCostMayApply: true },
};

export function serviceEntry(code: ServiceCode, catalogue: CatalogueEdition = DEFAULT_CATALOGUE): ServiceEntry {
  return catalogue.services[code];
}

// rule BUY-5, MN-6
export function isServiceAvailableIn(
  code: ServiceCode,
  country: string,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): boolean {
  return !catalogue.services[code].unavailableIn.includes(country);
}

// rule BUY-1 (✓ = included in Base) and BUY-2/BUY-3 (+ = add-on)
export function isIncludedInBase(code: ServiceCode, catalogue: CatalogueEdition = DEFAULT_CATALOGUE): boolean {
  return catalogue.services[code].includedInBase;
}

/** The services with Base-package status, e.g. for listing what every Work Order has. */
export function baseServices(catalogue: CatalogueEdition = DEFAULT_CATALOGUE): ServiceCode[] {
  return SERVICE_CODES.filter((code) => catalogue.services[code].includedInBase);
}

// rule PRO-2: remote unless agreed in writing and paid for, or sold on-site.
export function deliveryMode(
  code: ServiceCode,
  agreedOnSiteInWriting = false,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): 'remote' | 'onSite' {
  return agreedOnSiteInWriting ? 'onSite' : catalogue.services[code].delivery;
}
