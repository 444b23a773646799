// Edges of the first-response and incident-duty rules (RESP-X1, RESP-X2, AEM-6, RESP-PICK, BUY-1, INC-5, RSM-1, RCA-1,
// RCA-2) that a rule citation alone did not prove: each expectation fails if the rule's condition is weakened or flipped.
import { describe, expect, it } from 'vitest';
import { CONTINUOUS_CLOCK, supportLocationCalendar } from '../../domain/calendar/businessCalendar';
import { RESPONSE_TARGETS, type ResponseTargetTable } from '../../domain/catalogue/responseTargets';
import { DEFAULT_CATALOGUE, type CatalogueEdition } from '../../domain/catalogue/serviceCatalogue';
import { foldIncident } from '../../domain/incidents/incidentFold';
import { ticketEventSchema } from '../../domain/incidents/ticketEvent';
import {
  applicablePlans,
  clockFor,
  firstResponseTarget,
  pendingFirstResponse,
  type Coverage,
  type IncidentFacts,
} from '../../domain/sla/firstResponse';
import { decideRcaRequest, rcaAvailability, reactiveSupportManagement } from '../../domain/sla/incidentDuties';

const nl = supportLocationCalendar({ country: 'NL', timeZone: 'Europe/Amsterdam' });
const facts = (over: Partial<IncidentFacts> = {}): IncidentFacts => ({
  severity: '1',
  product: { family: 'Azure', service: 'Azure SQL Database' },
  channel: 'phone',
  location: 'NL',
  // Friday 10:00 in Amsterdam
  openedAt: '2027-03-05T09:00:00Z',
  ...over,
});
const minutes = (f: IncidentFacts, coverage: Coverage, catalogue?: CatalogueEdition) =>
  firstResponseTarget(f, coverage, nl, catalogue).targetMinutes;

describe('which products get the Azure target (RESP-X1, RESP-X2)', () => {
  it('RESP-X1: the product family and service are compared without case or surrounding spaces', () => {
    const base: Coverage = { plans: ['BASE'] };
    expect(minutes(facts({ product: { family: ' azure ', service: 'Azure SQL Database' } }), base)).toBe(15);
    // an excluded service named in another case is still excluded (the "other" target, 60)
    expect(minutes(facts({ product: { family: 'AZURE', service: ' azure storsimple ' } }), base)).toBe(60);
    expect(minutes(facts({ product: { family: 'Azure', service: 'Azure StorSimple' } }), base)).toBe(60);
  });

  it('RESP-X2: only the US Gov cloud loses the UER Azure target; a public-cloud resource keeps it, as it does under Base', () => {
    const uerOnly: Coverage = { plans: ['UER'] };
    expect(minutes(facts({ cloud: 'AzurePublic' }), uerOnly)).toBe(15);
    expect(minutes(facts({ cloud: 'AzureGovernment' }), uerOnly)).toBe(30);
    expect(minutes(facts({ cloud: 'AzureGovernment' }), { plans: ['BASE'] })).toBe(15);
  });
});

describe('AEM-6 windows', () => {
  it('AEM-6: an incident opened in any one of several AEM windows is covered; between them it is not', () => {
    const coverage: Coverage = {
      plans: ['BASE', 'AEM'],
      aemWindows: [
        { from: '2027-03-01T00:00:00Z', to: '2027-03-02T00:00:00Z' },
        { from: '2027-03-05T00:00:00Z', to: '2027-03-06T00:00:00Z' },
      ],
    };
    const aem = facts({ channel: 'azurePortal', description: 'AEM launch', severity: 'A' });
    expect(applicablePlans(aem, coverage)).toEqual(['BASE', 'AEM']);
    expect(applicablePlans({ ...aem, openedAt: '2027-03-03T09:00:00Z' }, coverage)).toEqual(['BASE']);
  });
});

describe('RESP-PICK and BUY-1: the candidates and the winner', () => {
  it('RESP-PICK: equally fast plans leave the target to the plan listed first (Base before UER)', () => {
    const t = firstResponseTarget(facts(), { plans: ['BASE', 'UER'] }, nl);
    expect(t).toMatchObject({ plan: 'BASE', targetMinutes: 15 });
    expect(t.candidates.map((c) => [c.plan, c.targetMinutes])).toEqual([
      ['BASE', 15],
      ['UER', 15],
    ]);
    expect(t.explanation.candidates!.map((c) => [c.plan, c.chosen])).toEqual([
      ['BASE', true],
      ['UER', false],
    ]);
  });

  it('RESP-RR: a candidate says whether its minutes are a configurable product default', () => {
    const t = firstResponseTarget(
      facts({ severity: 'A', channel: 'azurePortal' }),
      { plans: ['BASE', 'RAPID_RESPONSE'] },
      nl,
    );
    expect(t.candidates).toEqual([
      { plan: 'BASE', targetMinutes: 60, rule: 'RESP-BASE', configurableDefault: false },
      { plan: 'RAPID_RESPONSE', targetMinutes: 30, rule: 'RESP-RR', configurableDefault: true },
    ]);
  });

  it('a plan whose table cell is empty does not cover the product: it gives no candidate, the others decide', () => {
    const table: ResponseTargetTable = {
      ...RESPONSE_TARGETS,
      UER: {
        ...RESPONSE_TARGETS.UER,
        targets: { ...RESPONSE_TARGETS.UER.targets, '1': { azure: { minutes: 15 }, other: null } },
      },
    };
    const catalogue: CatalogueEdition = { ...DEFAULT_CATALOGUE, responseTargets: table };
    const m365 = facts({ product: { family: 'Microsoft 365', service: 'Exchange Online' } });
    const t = firstResponseTarget(m365, { plans: ['BASE', 'UER'] }, nl, catalogue);
    expect(t).toMatchObject({ plan: 'BASE', targetMinutes: 60, applicablePlans: ['BASE', 'UER'] });
    expect(t.candidates.map((c) => c.plan)).toEqual(['BASE']);
    expect(t.explanation.candidates!.map((c) => c.plan)).toEqual(['BASE']);
  });

  it('BUY-1: with no plan named the Base target is the one candidate the explanation lists, and it is chosen', () => {
    const t = firstResponseTarget(facts({ severity: 'B' }), { plans: [] }, nl);
    expect(t.explanation.candidates).toEqual([
      {
        plan: 'BASE',
        targetMinutes: 120,
        clock: 'businessHours',
        dueAt: '2027-03-05T12:00:00+01:00',
        rule: 'RESP-BASE',
        chosen: true,
      },
    ]);
  });
});

describe("the explanation's structure (api-contract Explanations)", () => {
  it('INC-5, RESP-PICK: a 24x7 target names its rules, the location, the 24x7 hours and skips nothing', () => {
    const t = firstResponseTarget(facts({ severity: 'A' }), { plans: ['BASE'] }, nl);
    expect(t.explanation).toMatchObject({
      rules: ['RESP-BASE', 'INC-5', 'RESP-PICK'],
      calendar: { location: 'NL', timeZone: 'Europe/Amsterdam', hours: '24x7' },
      skipped: [],
    });
  });

  it('HOURS-1, INC-5: a business-hours target names the calendar rule; a plan "as Base" is listed under its own name', () => {
    const t = firstResponseTarget(facts({ severity: 'B' }), { plans: ['BASE', 'UER'] }, nl);
    expect(t.explanation.rules).toEqual(['RESP-BASE', 'HOURS-1', 'INC-5', 'RESP-PICK']);
    expect(t.explanation.candidates!.map((c) => [c.plan, c.rule, c.targetMinutes, c.dueAt, c.chosen])).toEqual([
      ['BASE', 'RESP-BASE', 120, '2027-03-05T12:00:00+01:00', true],
      ['UER', 'RESP-UER (as Base)', 120, '2027-03-05T12:00:00+01:00', false],
    ]);
  });
});

describe('INC-5: the clock of a severity', () => {
  it('INC-5: severity 1 and A run on the continuous clock, B and C on the location calendar', () => {
    expect(clockFor('1', nl)).toBe(CONTINUOUS_CLOCK);
    expect(clockFor('A', nl)).toBe(CONTINUOUS_CLOCK);
    expect(clockFor('B', nl)).toBe(nl);
    expect(clockFor('C', nl)).toBe(nl);
  });

  it('INC-5: the 80 % warning of a severity A incident opened on a Friday evening falls the same evening', () => {
    const open = ticketEventSchema.parse({
      eventId: 'w1',
      type: 'IncidentOpened',
      occurredAt: '2027-03-05T20:00:00+01:00',
      incidentId: 'INC-W',
      workOrderId: 'wo-w',
      severity: 'A',
      product: { family: 'Azure', service: 'Azure SQL Database' },
      channel: 'phone',
      location: 'NL',
    });
    const { incident } = foldIncident([{ event: open, receivedAt: open.occurredAt, messageId: 'w1' }], () => ({
      coverage: { plans: ['BASE'] },
      calendar: nl,
    }));
    expect(incident).toMatchObject({
      warningAt: '2027-03-05T20:48:00+01:00',
      firstResponse: { dueAt: '2027-03-05T21:00:00+01:00' },
    });
  });

  it('a fresh pending target without a cause keeps only the history it is given', () => {
    const target = firstResponseTarget(facts(), { plans: ['BASE'] }, nl);
    expect(pendingFirstResponse(target).explanation!.history).toEqual([]);
    const earlier = [{ at: '2027-03-05T09:00:00Z', cause: 'IncidentOpened', rule: 'RESP-PICK', dueAt: target.dueAt }];
    expect(pendingFirstResponse(target, undefined, earlier).explanation!.history).toEqual(earlier);
  });
});

describe('RSM-1, RCA-1, RCA-2', () => {
  it('RSM-1: severity B and C get neither status updates nor an action plan automatically', () => {
    expect(reactiveSupportManagement('B')).toEqual({
      escalation: 'onRequest',
      hours: 'businessHours',
      statusUpdates: false,
      actionPlan: false,
    });
    expect(reactiveSupportManagement('A')).toEqual({
      escalation: 'automatic',
      hours: '24x7',
      statusUpdates: true,
      actionPlan: true,
    });
  });

  it('RCA-1: a request before the recorded closing time is accepted; at or after it, or once closed, refused on requestedAt', () => {
    const closing = '2027-03-06T10:00:00+01:00';
    expect(decideRcaRequest({ status: 'open', closedAt: closing }, '2027-03-06T09:59:59+01:00').status).toBe(
      'requested',
    );
    expect(decideRcaRequest({ status: 'open', closedAt: null }, '2027-03-06T11:00:00+01:00').status).toBe('requested');
    for (const incident of [
      { status: 'open' as const, closedAt: closing },
      { status: 'closed' as const, closedAt: null },
    ])
      expect(() => decideRcaRequest(incident, closing)).toThrow(
        expect.objectContaining({ rule: 'RCA-1', path: 'requestedAt', status: 409 }),
      );
  });

  it('RCA-2: a technology the catalogue lists is refused on its field; any other, or none named, is available', () => {
    const catalogue = {
      ...DEFAULT_CATALOGUE,
      rca: { technologiesWithoutRca: ['Legacy', 'Mainframe'], extraCostMayApply: false },
    };
    expect(() =>
      decideRcaRequest({ status: 'open', technology: 'Mainframe' }, '2027-01-01T00:00:00Z', catalogue),
    ).toThrow(expect.objectContaining({ rule: 'RCA-2', path: 'technology' }));
    expect(rcaAvailability('Legacy', catalogue).available).toBe(false);
    expect(rcaAvailability('Exchange Online', catalogue)).toEqual({
      available: true,
      extraCostMayApply: false,
      customerMustSupply: ['logs', 'network traces', 'other diagnostics'],
    });
    expect(rcaAvailability(undefined, catalogue).available).toBe(true);
  });
});
