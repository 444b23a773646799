import { describe, expect, it } from 'vitest';
import { supportLocationCalendar } from '../../domain/calendar/businessCalendar';
import { RESPONSE_TARGETS, withConfiguredSevATargets } from '../../domain/catalogue/responseTargets';
import { DEFAULT_CATALOGUE } from '../../domain/catalogue/serviceCatalogue';
import {
  applicablePlans,
  clockKindFor,
  decideResponseTimeliness,
  firstResponseTarget,
  isFirstResponse,
  pendingFirstResponse,
  type Coverage,
  type IncidentFacts,
} from '../../domain/sla/firstResponse';
import {
  SEVERITY_LEVELS,
  decideRcaRequest,
  lowerSeverityForUnresponsiveCustomer,
  postIncidentReviewRequired,
  rcaAvailability,
  reactiveSupportManagement,
  redeJoinsAutomatically,
  seniorIncidentManagerAssigned,
} from '../../domain/sla/incidentDuties';
import { RuleViolation } from '../../domain/ruleViolation';

const nl = supportLocationCalendar({ country: 'NL', timeZone: 'Europe/Amsterdam' });
const azureSql = { family: 'Azure', service: 'Azure SQL Database' };
const office = { family: 'Microsoft 365', service: 'Exchange Online' };
const incident = (over: Partial<IncidentFacts> = {}): IncidentFacts => ({
  severity: 'B',
  product: azureSql,
  channel: 'phone',
  description: 'checkout latency',
  location: 'NL',
  openedAt: '2027-03-05T16:50:00+01:00',
  ...over,
});
const base: Coverage = { plans: ['BASE'] };
const all: Coverage = {
  plans: ['BASE', 'UER', 'RAPID_RESPONSE', 'AEM'],
  aemWindows: [{ from: '2027-03-05T00:00:00+01:00', to: '2027-03-10T00:00:00+01:00' }],
};

describe('first-response targets (rules.md 5.1)', () => {
  it('RESP-BASE: Base Sev B opened Fri 2027-03-05 16:50 Amsterdam is due Mon 10:20 on business hours', () => {
    const t = firstResponseTarget(incident(), base, nl);
    expect(t).toMatchObject({
      plan: 'BASE',
      targetMinutes: 120,
      clock: 'businessHours',
      dueAt: '2027-03-08T10:20:00+01:00',
    });
  });

  it('RESP-BASE: Sev 1 Azure 15, other 60; Sev A 60; Sev C 240', () => {
    expect(firstResponseTarget(incident({ severity: '1' }), base, nl).targetMinutes).toBe(15);
    expect(firstResponseTarget(incident({ severity: '1', product: office }), base, nl).targetMinutes).toBe(60);
    expect(firstResponseTarget(incident({ severity: 'A' }), base, nl).targetMinutes).toBe(60);
    expect(firstResponseTarget(incident({ severity: 'C' }), base, nl).targetMinutes).toBe(240);
  });

  it('RESP-X1: Base Azure target does not apply to StorSimple, GitHub AE, Communication Services, Billing', () => {
    for (const service of [
      'Azure StorSimple',
      'GitHub AE',
      'Azure Communication Services',
      'Billing & Subscription Management',
    ]) {
      expect(
        firstResponseTarget(incident({ severity: '1', product: { family: 'Azure', service } }), base, nl).targetMinutes,
      ).toBe(60);
    }
  });

  it('RESP-UER: Sev 1 Azure 15 / other 30, Sev A 30, B and C as Base', () => {
    const uer: Coverage = { plans: ['BASE', 'UER'] };
    expect(firstResponseTarget(incident({ severity: '1', product: office }), uer, nl)).toMatchObject({
      plan: 'UER',
      targetMinutes: 30,
    });
    const sevA = firstResponseTarget(incident({ severity: 'A' }), uer, nl);
    expect(sevA).toMatchObject({ plan: 'UER', targetMinutes: 30, clock: '24x7', dueAt: '2027-03-05T17:20:00+01:00' });
    expect(firstResponseTarget(incident({ severity: 'B' }), uer, nl)).toMatchObject({
      plan: 'BASE',
      targetMinutes: 120,
    });
  });

  it('RESP-X2: UER Azure target excluded for US Gov clouds and listed services (they get "other" 30)', () => {
    const uer: Coverage = { plans: ['UER'] };
    expect(firstResponseTarget(incident({ severity: '1', cloud: 'AzureGovernment' }), uer, nl).targetMinutes).toBe(30);
    expect(
      firstResponseTarget(incident({ severity: '1', product: { family: 'Azure', service: 'Azure Stack' } }), uer, nl)
        .targetMinutes,
    ).toBe(30);
    expect(firstResponseTarget(incident({ severity: '1' }), uer, nl).targetMinutes).toBe(15);
  });

  it('RESP-RR / RR-1: Rapid Response applies only to Azure incidents opened through azurePortal', () => {
    const rr: Coverage = { plans: ['BASE', 'RAPID_RESPONSE'] };
    expect(applicablePlans(incident({ severity: 'A', channel: 'azurePortal' }), rr)).toEqual([
      'BASE',
      'RAPID_RESPONSE',
    ]);
    expect(applicablePlans(incident({ severity: 'A', channel: 'phone' }), rr)).toEqual(['BASE']);
    expect(applicablePlans(incident({ severity: 'A', channel: 'azurePortal', product: office }), rr)).toEqual(['BASE']);
    expect(firstResponseTarget(incident({ severity: 'A', channel: 'azurePortal' }), rr, nl)).toMatchObject({
      plan: 'RAPID_RESPONSE',
      targetMinutes: 30,
    });
  });

  it('RESP-X3: Rapid Response does not cover Media Services, Stack, StorSimple, GitHub AE, Universal Print, Test Base, Mesh', () => {
    const rr: Coverage = { plans: ['BASE', 'RAPID_RESPONSE'] };
    expect(
      applicablePlans(
        incident({
          severity: 'A',
          channel: 'azurePortal',
          product: { family: 'Azure', service: 'Azure Media Services' },
        }),
        rr,
      ),
    ).toEqual(['BASE']);
  });

  it('RESP-RR: the RR Sev A default (30) is a configurable default', () => {
    expect(RESPONSE_TARGETS.RAPID_RESPONSE.targets.A).toMatchObject({
      azure: { minutes: 30, configurableDefault: true },
    });
    const custom = {
      ...DEFAULT_CATALOGUE,
      responseTargets: withConfiguredSevATargets(RESPONSE_TARGETS, { RAPID_RESPONSE: 20, AEM: 25 }),
    };
    const rr: Coverage = { plans: ['BASE', 'RAPID_RESPONSE'] };
    expect(firstResponseTarget(incident({ severity: 'A', channel: 'azurePortal' }), rr, nl, custom).targetMinutes).toBe(
      20,
    );
  });

  it('RESP-AEM / AEM-6: AEM applies in the window, via azurePortal, with "AEM" in the description', () => {
    const aemCov: Coverage = { plans: ['BASE', 'AEM'], aemWindows: all.aemWindows ?? [] };
    const inWindow = incident({
      severity: 'A',
      channel: 'azurePortal',
      description: 'AEM checkout latency',
      product: office,
    });
    expect(firstResponseTarget(inWindow, aemCov, nl)).toMatchObject({ plan: 'AEM', targetMinutes: 30 });
    expect(RESPONSE_TARGETS.AEM.targets.A).toMatchObject({ azure: { configurableDefault: true } });
    expect(applicablePlans({ ...inWindow, description: 'checkout latency' }, aemCov)).toEqual(['BASE']);
    expect(applicablePlans({ ...inWindow, channel: 'web' }, aemCov)).toEqual(['BASE']);
    expect(applicablePlans({ ...inWindow, openedAt: '2027-03-10T00:00:00+01:00' }, aemCov)).toEqual(['BASE']);
    expect(firstResponseTarget({ ...inWindow, severity: '1' }, aemCov, nl).targetMinutes).toBe(15);
  });

  it('RESP-PICK: the fastest applicable target wins when plans stack', () => {
    const t = firstResponseTarget(incident({ severity: 'A', channel: 'azurePortal', description: 'AEM' }), all, nl);
    expect(t.applicablePlans).toEqual(['BASE', 'UER', 'RAPID_RESPONSE', 'AEM']);
    expect(t.targetMinutes).toBe(30);
    expect(t.plan).toBe('UER');
    expect(firstResponseTarget(incident({ severity: '1', product: office }), { plans: ['BASE', 'UER'] }, nl).plan).toBe(
      'UER',
    );
  });

  it('INC-5: severity 1 and A run 24x7, B and C business hours', () => {
    expect(['1', 'A', 'B', 'C'].map((s) => clockKindFor(s as '1'))).toEqual([
      '24x7',
      '24x7',
      'businessHours',
      'businessHours',
    ]);
    expect(firstResponseTarget(incident({ severity: 'A' }), base, nl).dueAt).toBe('2027-03-05T17:50:00+01:00');
  });

  it('INC-2: four severity levels', () => {
    expect(Object.keys(SEVERITY_LEVELS)).toEqual(['1', 'A', 'B', 'C']);
  });
});

describe('first-response state (the fold applies it: test/unit/incident.test.ts)', () => {
  it('INC-3: automated acknowledgements are not first responses', () => {
    expect(isFirstResponse({ automated: true })).toBe(false);
    expect(isFirstResponse({ automated: false })).toBe(true);
  });

  it('RESP-LATE: occurredAt decides; a response at the due time meets it', () => {
    expect(decideResponseTimeliness('2027-03-05T17:20:00+01:00', '2027-03-05T17:20:00+01:00')).toBe('met');
    expect(decideResponseTimeliness('2027-03-05T17:20:00+01:00', '2027-03-05T17:21:00+01:00')).toBe('breached');
  });

  it('a fresh target is pending with no response', () => {
    const target = firstResponseTarget(incident({ severity: 'A' }), { plans: ['BASE', 'UER'] }, nl);
    expect(pendingFirstResponse(target)).toMatchObject({
      dueAt: '2027-03-05T17:20:00+01:00',
      state: 'pending',
      respondedAt: null,
    });
  });
});

describe('incident duties', () => {
  it('INC-4: severity is lowered for an unresponsive customer (24x7 → B)', () => {
    expect(lowerSeverityForUnresponsiveCustomer('1')).toBe('B');
    expect(lowerSeverityForUnresponsiveCustomer('A')).toBe('B');
    expect(lowerSeverityForUnresponsiveCustomer('B')).toBe('C');
    expect(lowerSeverityForUnresponsiveCustomer('C')).toBeNull();
  });

  it('UER-1: a Senior Incident Manager is assigned for 1/A under UER, also when raised during the incident', () => {
    expect(seniorIncidentManagerAssigned(['BASE', 'UER'], ['A'])).toBe(true);
    expect(seniorIncidentManagerAssigned(['BASE', 'UER'], ['B', '1'])).toBe(true);
    expect(seniorIncidentManagerAssigned(['BASE', 'UER'], ['B'])).toBe(false);
    expect(seniorIncidentManagerAssigned(['BASE'], ['1'])).toBe(false);
  });

  it('UER-2: every Severity 1 incident under UER gets a post-incident review', () => {
    expect(postIncidentReviewRequired(['BASE', 'UER'], ['1'])).toBe(true);
    expect(postIncidentReviewRequired(['BASE', 'UER'], ['A'])).toBe(false);
    expect(postIncidentReviewRequired(['BASE'], ['1'])).toBe(false);
  });

  it('RSM-1: automatic escalation for 1/A, on request in business hours for B/C', () => {
    expect(reactiveSupportManagement('1')).toMatchObject({
      escalation: 'automatic',
      statusUpdates: true,
      actionPlan: true,
    });
    expect(reactiveSupportManagement('C')).toMatchObject({ escalation: 'onRequest', hours: 'businessHours' });
  });

  it('REDE-1: the REDE engineer joins 1/A incidents; targets do not change', () => {
    expect(redeJoinsAutomatically('A')).toBe(true);
    expect(redeJoinsAutomatically('B')).toBe(false);
  });

  it('RCA-1 / UER-3: an RCA request before closure is accepted, after closure refused with 409', () => {
    expect(decideRcaRequest({ status: 'open' }, '2027-03-05T18:00:00+01:00')).toMatchObject({
      status: 'requested',
      extraCostMayApply: true,
    });
    try {
      decideRcaRequest({ status: 'closed', closedAt: '2027-03-06T10:00:00+01:00' }, '2027-03-06T11:00:00+01:00');
      expect.fail('expected RCA-1');
    } catch (e) {
      expect(e).toBeInstanceOf(RuleViolation);
      expect(e).toMatchObject({ rule: 'RCA-1', status: 409 });
    }
    expect(() =>
      decideRcaRequest({ status: 'open', closedAt: '2027-03-06T10:00:00+01:00' }, '2027-03-06T10:00:00+01:00'),
    ).toThrow(RuleViolation);
  });

  it('RCA-2: the catalogue lists technologies without RCA and says whether extra cost may apply', () => {
    expect(rcaAvailability('Exchange Online')).toMatchObject({ available: true, extraCostMayApply: true });
    const cat = { ...DEFAULT_CATALOGUE, rca: { technologiesWithoutRca: ['Legacy'], extraCostMayApply: false } };
    expect(rcaAvailability('Legacy', cat).available).toBe(false);
    expect(() => decideRcaRequest({ status: 'open', technology: 'Legacy' }, '2027-01-01T00:00:00Z', cat)).toThrow(
      /not available/,
    );
  });
});
