import { z } from 'zod';

export const severitySchema = z.enum(['1', 'A', 'B', 'C']);
export type Severity = z.infer<typeof severitySchema>;

export const planCodeSchema = z.enum(['BASE', 'UER', 'RAPID_RESPONSE', 'AEM']);
export type PlanCode = z.infer<typeof planCodeSchema>;

/** Fixed order used to break ties between equally fast plans (RESP-PICK): the first listed wins. */
export const PLAN_ORDER: readonly PlanCode[] = ['BASE', 'UER', 'RAPID_RESPONSE', 'AEM'];

/** A first-response target in minutes. `configurableDefault` marks values the seed does not state. */
export interface TargetMinutes {
  readonly minutes: number;
  readonly configurableDefault?: true;
  /** Free text for duties that come with the target (e.g. AEM critical-situation resource). */
  readonly note?: string;
}

/**
 * One plan's row of rules.md 5.1. For each severity: the target for Azure components, the target for all
 * other products (`null` = the plan does not cover them), or `'asBase'` (the plan brings no target of its
 * own; the Base target applies).
 */
export interface PlanTargets {
  readonly plan: PlanCode;
  readonly rule: string;
  readonly targets: Readonly<Record<Severity, { azure: TargetMinutes; other: TargetMinutes | null } | 'asBase'>>;
  /** Azure services for which the Azure target does not apply (they get the `other` target, or no cover). */
  readonly azureExclusions: readonly string[];
  readonly exclusionRule: string | null;
  /** Clouds for which the Azure target does not apply (RESP-X2 "US Gov clouds"). */
  readonly excludedClouds: readonly string[];
}

export type ResponseTargetTable = Readonly<Record<PlanCode, PlanTargets>>;

const t = (minutes: number): TargetMinutes => ({ minutes });

/** rules.md 5.1, edition of the seed services description. Data, not code. */
export const RESPONSE_TARGETS: ResponseTargetTable = {
  // rule RESP-BASE, RESP-X1
  BASE: {
    plan: 'BASE',
    rule: 'RESP-BASE',
    targets: {
      '1': { azure: t(15), other: t(60) },
      A: { azure: t(60), other: t(60) },
      B: { azure: t(120), other: t(120) },
      C: { azure: t(240), other: t(240) },
    },
    azureExclusions: [
      'Azure StorSimple',
      'GitHub AE',
      'Azure Communication Services',
      'Billing & Subscription Management',
    ],
    exclusionRule: 'RESP-X1',
    excludedClouds: [],
  },
  // rule RESP-UER, RESP-X2
  UER: {
    plan: 'UER',
    rule: 'RESP-UER',
    targets: { '1': { azure: t(15), other: t(30) }, A: { azure: t(30), other: t(30) }, B: 'asBase', C: 'asBase' },
    azureExclusions: [
      'Azure StorSimple',
      'GitHub AE',
      'A40',
      'Azure Media Services',
      'Azure Stack',
      'Test Base for M365',
      'Microsoft Mesh',
      'Universal Print',
    ],
    exclusionRule: 'RESP-X2',
    excludedClouds: ['AzureGovernment'],
  },
  // rule RESP-RR, RESP-X3: Azure only; excluded services are not covered at all.
  RAPID_RESPONSE: {
    plan: 'RAPID_RESPONSE',
    rule: 'RESP-RR',
    targets: {
      '1': { azure: t(15), other: null },
      A: {
        // Stryker disable next-line StringLiteral: free-text note, neither returned by an API nor deciding a rule
        azure: { minutes: 30, configurableDefault: true, note: 'seed table truncated; 30 is the product default' },
        other: null,
      },
      B: 'asBase',
      C: 'asBase',
    },
    azureExclusions: [
      'Azure Media Services',
      'Azure Stack',
      'Azure StorSimple',
      'GitHub AE',
      'Universal Print',
      'Test Base for M365',
      'Microsoft Mesh',
    ],
    exclusionRule: 'RESP-X3',
    excludedClouds: [],
  },
  // rule RESP-AEM
  AEM: {
    plan: 'AEM',
    rule: 'RESP-AEM',
    targets: {
      '1': {
        // Stryker disable next-line StringLiteral: free-text note, neither returned by an API nor deciding a rule
        azure: { minutes: 15, note: 'critical-situation resource assigned within 30 minutes' },
        // Stryker disable next-line StringLiteral: free-text note, neither returned by an API nor deciding a rule
        other: { minutes: 15, note: 'critical-situation resource assigned within 30 minutes' },
      },
      A: {
        azure: {
          minutes: 30,
          configurableDefault: true,
          // Stryker disable next-line StringLiteral: free-text note, neither returned by an API nor deciding a rule
          note: 'seed gives no minute target; 30 is the product default',
        },
        other: {
          minutes: 30,
          configurableDefault: true,
          // Stryker disable next-line StringLiteral: free-text note, neither returned by an API nor deciding a rule
          note: 'seed gives no minute target; 30 is the product default',
        },
      },
      B: 'asBase',
      C: 'asBase',
    },
    azureExclusions: [],
    exclusionRule: null,
    excludedClouds: [],
  },
};

/** Languages in which a plan is delivered (RESP-X3 RR: English and Japanese; UER-5 EIM; AEM-4 English only). */
export const PLAN_LANGUAGES: Readonly<Partial<Record<PlanCode, readonly string[]>>> = {
  RAPID_RESPONSE: ['en', 'ja'],
  UER: ['en', 'zh', 'ja'],
  AEM: ['en'],
};

/** Returns a copy of a target table with configurable defaults replaced (e.g. RR or AEM Sev A minutes). */
export function withConfiguredSevATargets(
  table: ResponseTargetTable,
  overrides: Partial<Record<'RAPID_RESPONSE' | 'AEM', number>>,
): ResponseTargetTable {
  const result: Record<PlanCode, PlanTargets> = { ...table };
  for (const plan of ['RAPID_RESPONSE', 'AEM'] as const) {
    const minutes = overrides[plan];
    const row = table[plan];
    const sevA = row.targets.A;
    if (minutes === undefined || sevA === 'asBase') continue;
    const replace = (x: TargetMinutes | null): TargetMinutes | null =>
      x === null ? null : x.configurableDefault ? { minutes, configurableDefault: true } : x;
    result[plan] = {
      ...row,
      targets: { ...row.targets, A: { azure: replace(sevA.azure) ?? t(minutes), other: replace(sevA.other) } },
    };
  }
  return result;
}
