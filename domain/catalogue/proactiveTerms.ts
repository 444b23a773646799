import {
  DEFAULT_CATALOGUE,
  SERVICE_CODES,
  type CatalogueEdition,
  type ProactiveCategory,
  type ServiceCode,
} from './serviceCatalogue';

/** rule PRO-1: the proactive catalogue grouped by category (planning … additional). */
export function proactiveCatalogue(
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): Record<ProactiveCategory, ServiceCode[]> {
  const groups: Record<ProactiveCategory, ServiceCode[]> = {
    planning: [],
    implementation: [],
    maintenance: [],
    optimisation: [],
    education: [],
    additional: [],
  };
  for (const code of SERVICE_CODES) {
    const entry = catalogue.services[code];
    if (entry.group === 'proactive' && entry.category) groups[entry.category].push(code);
  }
  return groups;
}

/** rule PRO-3: On-demand Assessment needs an active Azure service; optional paid help is limited. */
export const ON_DEMAND_ASSESSMENT_TERMS = {
  requires: 'an active Azure service with adequate data limits',
  paidHelpMaxDays: { onSite: 2, remote: 1 },
} as const;

// rule PRO-3
export function isAssessmentHelpWithinLimits(mode: 'onSite' | 'remote', days: number): boolean {
  return days > 0 && days <= ON_DEMAND_ASSESSMENT_TERMS.paidHelpMaxDays[mode];
}

// rule PRO-4: a workshop can be cancelled when minimum enrolment is not reached
export function mayCancelWorkshopForEnrolment(enrolled: number, minimumEnrolment: number): boolean {
  return enrolled < minimumEnrolment;
}

/** rule SDM-REQ: buying an additional (+) service may require adding SDM hours — a flag for the request flow. */
export function mayRequireSdmHours(code: ServiceCode, catalogue: CatalogueEdition = DEFAULT_CATALOGUE): boolean {
  const entry = catalogue.services[code];
  return !entry.includedInBase && entry.group !== 'sdm';
}
