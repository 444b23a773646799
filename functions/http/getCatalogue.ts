import { PLAN_LANGUAGES } from '../../domain/catalogue/responseTargets';
import { proactiveCatalogue } from '../../domain/catalogue/proactiveTerms';
import { baseServices, SERVICE_CODES } from '../../domain/catalogue/serviceCatalogue';
import { CYBER_OFFERINGS } from '../../domain/cyber/cyberEngagement';
import { SEVERITY_LEVELS } from '../../domain/sla/incidentDuties';
import { endpoint, json } from './conventions/endpoint';

/**
 * GET /api/catalogue — the catalogue edition in force, as data: every service with ✓ (in the Base package, BUY-1) or
 * + (added during the term, BUY-2/BUY-3), its unit, the countries where it is not offered (BUY-5, MN-6), its
 * prerequisites (DEP-1, DEP-2) and maximum (DEVS-1); the proactive catalogue by category (PRO-1); severities (INC-2);
 * plan languages (RESP-X3, UER-5, AEM-4); the cybersecurity offerings with their deliverables (CYB-1, CYB-5); the Flex
 * Allowance terms (FLEX-1, FLEX-2).
 */
export const getCatalogue = endpoint('getCatalogue', {
  method: 'GET',
  route: 'catalogue',
  roles: ['Customer.Reader', 'Customer.Manager', 'Provider.Csam'],
  summary:
    'The catalogue in force: services ✓/+ (BUY-1..5), proactive categories (PRO-1), severities (INC-2), cyber offerings (CYB-1)',
  responses: { status: 200, errors: [401, 403] },
  handler: async ({ services }) => {
    const catalogue = services.catalogue;
    return json(200, {
      edition: catalogue.edition,
      services: SERVICE_CODES.map((code) => {
        const e = catalogue.services[code];
        return {
          serviceCode: code,
          group: e.group,
          ...(e.category ? { category: e.category } : {}),
          mark: e.includedInBase ? '✓' : '+',
          unit: e.unit,
          unavailableIn: e.unavailableIn,
          requires: e.requires,
          delivery: e.delivery,
          ...(e.maxQuantity ? { maxQuantity: e.maxQuantity } : {}),
          ...(e.minDays ? { minDays: e.minDays } : {}),
        };
      }),
      basePackage: baseServices(catalogue), // rule BUY-1
      proactive: proactiveCatalogue(catalogue), // rule PRO-1
      severities: SEVERITY_LEVELS, // rule INC-2
      planLanguages: PLAN_LANGUAGES,
      cyberOfferings: CYBER_OFFERINGS, // rule CYB-1
      flexAllowance: catalogue.flex, // rule FLEX-1, FLEX-2
      advisoryMaxHoursPerCase: catalogue.advisoryMaxHoursPerCase, // rule ADV-1
    });
  },
});
