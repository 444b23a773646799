import { describe, expect, it } from 'vitest';
import * as domain from '../../domain';
import {
  DEFAULT_CATALOGUE,
  EXCEPTION_COUNTRIES,
  RuleViolation,
  SERVICE_CODES,
  baseServices,
  deliveryMode,
  invoiceGroups,
  isAssessmentHelpWithinLimits,
  isExceptionCountry,
  isIncludedInBase,
  isServiceAvailableIn,
  locationRole,
  locationsMissingSsm,
  mayCancelWorkshopForEnrolment,
  mayDeliverAt,
  mayRequireSdmHours,
  proactiveCatalogue,
  serviceEntry,
  channelSchema,
} from '../../domain';

describe('catalogue as data', () => {
  it('BUY-1: the Base package services are the ✓ codes of the contract', () => {
    expect(baseServices().sort()).toEqual(
      [
        'ADVISORY_SUPPORT',
        'ON_DEMAND_ASSESSMENT',
        'ON_DEMAND_EDUCATION',
        'PROBLEM_RESOLUTION_SUPPORT',
        'REACTIVE_SUPPORT_MANAGEMENT',
        'SDM_CUSTOMER_ENABLEMENT',
        'SDM_EXECUTIVE_RELATIONSHIP',
        'SDM_ONBOARDING',
        'SDM_PROGRAM_MANAGEMENT',
        'SDM_UPDATES_GUIDANCE',
        'WEBCASTS',
      ].sort(),
    );
    expect(SERVICE_CODES).toHaveLength(51);
  });

  it('BUY-2 / BUY-3: additional and enhanced services are add-ons (+)', () => {
    expect(isIncludedInBase('WORKSHOP')).toBe(false);
    expect(isIncludedInBase('EDE')).toBe(false);
    expect(serviceEntry('EDE').group).toBe('enhanced');
  });

  it('BUY-5 / MN-6: availability per country; STA not in exception countries', () => {
    for (const country of EXCEPTION_COUNTRIES)
      expect(isServiceAvailableIn('SUPPORT_TECHNOLOGY_ADVISOR', country)).toBe(false);
    expect(isServiceAvailableIn('SUPPORT_TECHNOLOGY_ADVISOR', 'NL')).toBe(true);
  });

  it('catalogue units, prerequisites and a new edition as a data change', () => {
    expect(serviceEntry('AEM').unit).toBe('events');
    expect(serviceEntry('EDE').unit).toBe('hours');
    expect(serviceEntry('CYBER_INCIDENT_RESPONSE').unit).toBe('days');
    expect(serviceEntry('AZURE_ENGINEERING_DIRECT').requires).toEqual(['UNIFIED_SUPPORT', 'RAPID_RESPONSE']);
    const next = {
      ...DEFAULT_CATALOGUE,
      edition: 'next',
      services: {
        ...DEFAULT_CATALOGUE.services,
        WORKSHOP: { ...DEFAULT_CATALOGUE.services.WORKSHOP, unavailableIn: ['FR'] },
      },
    };
    expect(isServiceAvailableIn('WORKSHOP', 'FR', next)).toBe(false);
    expect(isServiceAvailableIn('WORKSHOP', 'FR')).toBe(true);
  });

  it('PRO-1: proactive catalogue by category', () => {
    const c = proactiveCatalogue();
    expect(c.planning).toEqual(['PROOF_OF_CONCEPT']);
    expect(c.education).toEqual(['ON_DEMAND_EDUCATION', 'WEBCASTS', 'CHALK_TALK', 'WORKSHOP']);
    expect(c.additional).toContain('CUSTOM_PROACTIVE');
  });

  it('PRO-2: delivery is remote unless agreed in writing or sold on-site', () => {
    expect(deliveryMode('WORKSHOP')).toBe('remote');
    expect(deliveryMode('WORKSHOP', true)).toBe('onSite');
    expect(deliveryMode('CYBER_INCIDENT_RESPONSE_ONSITE')).toBe('onSite');
  });

  it('PRO-3: On-demand Assessment paid help: on-site up to 2 days, remote up to 1', () => {
    expect(isAssessmentHelpWithinLimits('onSite', 2)).toBe(true);
    expect(isAssessmentHelpWithinLimits('remote', 2)).toBe(false);
  });

  it('PRO-4: cancellable below minimum enrolment', () => {
    expect(mayCancelWorkshopForEnrolment(3, 5)).toBe(true);
    expect(mayCancelWorkshopForEnrolment(5, 5)).toBe(false);
  });

  it('SDM-REQ: buying an add-on may require SDM hours', () => {
    expect(mayRequireSdmHours('EDE')).toBe(true);
    expect(mayRequireSdmHours('WEBCASTS')).toBe(false);
  });

  it('INC-1 / CUST-CONTACT: channels and who may open incidents', () => {
    expect(channelSchema.options).toEqual(['phone', 'web', 'email', 'azurePortal']);
  });
});

describe('multinational', () => {
  const wo = { host: { country: 'NL' }, downstream: [{ country: 'DE' }] };
  it('MN-1 / BUY-4: Host and Downstream locations', () => {
    expect(locationRole(wo, 'NL')).toBe('host');
    expect(locationRole(wo, 'DE')).toBe('downstream');
    expect(locationRole(wo, 'FR')).toBeNull();
  });
  it('MN-2: reactive services remotely anywhere; Base services where designated', () => {
    expect(mayDeliverAt('reactive', 'FR', ['NL'])).toBe(true);
    expect(mayDeliverAt('base', 'FR', ['NL'])).toBe(false);
  });
  it('MN-5: the nine exception countries', () => {
    expect([...EXCEPTION_COUNTRIES].sort()).toEqual(['AU', 'CN', 'HK', 'IN', 'JP', 'KR', 'MO', 'NZ', 'TW']);
    expect(isExceptionCountry('NL')).toBe(false);
  });
  it('MN-7: one consolidated invoice except exception countries', () => {
    expect(invoiceGroups(['NL', 'DE', 'JP'])).toEqual({ consolidated: ['NL', 'DE'], separate: ['JP'] });
  });
  it('MN-8 / CUST-SSM: an SSM for the Host location', () => {
    expect(locationsMissingSsm('NL', {})).toEqual(['NL']);
    expect(locationsMissingSsm('NL', { NL: 'ann@contoso' }, ['DE'])).toEqual(['DE']);
  });
});

describe('RuleViolation', () => {
  it('carries rule, message, path and a status hint (422, or 409 for state conflicts)', () => {
    const v = new RuleViolation('FLEX-2', 'too much', 'flexAllocations');
    expect(v).toBeInstanceOf(Error);
    expect(v).toMatchObject({
      rule: 'FLEX-2',
      message: 'too much',
      path: 'flexAllocations',
      status: 422,
      name: 'RuleViolation',
    });
    expect(new RuleViolation('RCA-1', 'closed').status).toBe(409);
    expect(domain.isRuleViolation(v)).toBe(true);
  });
});
