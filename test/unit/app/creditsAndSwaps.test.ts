// Credits (CRED-1, CRED-2, MN-4, MN-5) and entitlement swaps (SWAP-1, FLEX-5) as the use cases commit them: the
// balance and its ledger in one write, refusals leave the store untouched, a lost race is decided again.
import { describe, expect, it } from 'vitest';
import { exchangeCredits, redeemCredits } from '../../../app/credits';
import { NotFound } from '../../../app/errors';
import { decideEntitlementSwap, requestEntitlementSwap } from '../../../app/swaps';
import { RuleViolation } from '../../../domain/ruleViolation';
import { findEntitlement, type SwapRecord } from '../../../domain/workOrder/entitlements';
import { acceptWorkOrder } from '../../../domain/workOrder/workOrderView';
import { memoryServices } from '../../support/memoryPorts';
import { workOrderBody } from '../../support/workOrderFixtures';

const workOrder = acceptWorkOrder(
  workOrderBody({
    downstream: [{ country: 'DE', timeZone: 'Europe/Berlin' }],
    entitlements: [{ serviceCode: 'EDE', hours: 400 }],
    proactiveCredits: { NL: 100, DE: 10 },
  }),
  { id: 'wo-1', asOf: '2027-03-01' },
);

function setup() {
  const ports = memoryServices('2027-03-01T09:00:00Z');
  ports.workOrders.seed(workOrder);
  return ports;
}

async function ruleOf(run: Promise<unknown>) {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RuleViolation);
  return (error as RuleViolation).rule;
}

describe('credits (app)', () => {
  it('CRED-1: a redemption commits the rounded deduction with its ledger entry and timeline', async () => {
    const { services, workOrders } = setup();
    const done = await redeemCredits(services, 'wo-1', { country: 'NL', serviceCode: 'WORKSHOP', value: 12.5 }, {});
    expect(done.result).toEqual({ deducted: 13, balance: 87 });
    expect(workOrders.current('wo-1').creditBalances).toEqual({ NL: 87, DE: 10 });
    expect(workOrders.ledgerOf('wo-1')).toEqual([
      {
        at: '2027-03-01T09:00:00.000Z',
        kind: 'redemption',
        country: 'NL',
        credits: 13,
        balanceAfter: 87,
        serviceCode: 'WORKSHOP',
      },
    ]);
    expect(workOrders.timelineOf('wo-1').map((t) => t.rule)).toEqual(['CRED-1']);
  });

  it('CRED-2: two redemptions racing for one balance: the loser is decided on the balance the winner left', async () => {
    const { services, workOrders } = setup();
    // Another redemption of 60 NL credits commits between this one's read and its write.
    workOrders.conflictOnce((current) => ({ ...current, creditBalances: { ...current.creditBalances, NL: 40 } }));
    expect(
      await ruleOf(redeemCredits(services, 'wo-1', { country: 'NL', serviceCode: 'WORKSHOP', value: 50 }, {})),
    ).toBe('CRED-2');
    expect(workOrders.conflicts).toBe(1);
    expect(workOrders.ledgerOf('wo-1')).toEqual([]);
    expect(workOrders.current('wo-1').creditBalances.NL).toBe(40);
  });

  it('MN-4, CRED-2: an exchange debits and credits in one write with two ledger entries; more than the balance is refused', async () => {
    const { services, workOrders } = setup();
    const done = await exchangeCredits(services, 'wo-1', { from: 'DE', to: 'NL', credits: 10, rate: 1.25 }, {});
    expect(done.result).toEqual({ debited: 10, credited: 13 });
    expect(workOrders.current('wo-1').creditBalances).toEqual({ NL: 113, DE: 0 });
    expect(workOrders.ledgerOf('wo-1').map((l) => [l.kind, l.country, l.credits, l.balanceAfter])).toEqual([
      ['exchangeOut', 'DE', 10, 0],
      ['exchangeIn', 'NL', 13, 113],
    ]);
    expect(await ruleOf(exchangeCredits(services, 'wo-1', { from: 'DE', to: 'NL', credits: 1, rate: 1 }, {}))).toBe(
      'CRED-2',
    );
    expect(await ruleOf(exchangeCredits(services, 'wo-1', { from: 'NL', to: 'JP', credits: 1, rate: 1 }, {}))).toBe(
      'MN-5',
    );
    expect(workOrders.writes).toHaveLength(1);
  });
});

describe('entitlement swaps (app)', () => {
  it('SWAP-1: a request moves nothing until consent; the approval moves the hours and is recorded with who gave it', async () => {
    const { services, workOrders, clock } = setup();
    const swap = await requestEntitlementSwap(
      services,
      'wo-1',
      { from: 'EDE', to: 'DESIGNATED_ENGINEERING', hours: 40, fundedBy: 'purchase', country: 'NL' },
      {},
    );
    expect(swap).toMatchObject({ status: 'awaitingConsent', rule: 'SWAP-1', hours: 40, decision: null });
    expect(workOrders.current('wo-1').entitlements).toEqual(workOrder.entitlements);
    clock.at = new Date('2027-03-02T10:00:00Z');
    const approved = await decideEntitlementSwap(services, swap.id, { approved: true, by: 'sdr@provider' }, {});
    expect(approved).toMatchObject({
      status: 'approved',
      decision: { by: 'sdr@provider', at: '2027-03-02T10:00:00.000Z' },
    });
    const balances = workOrders.current('wo-1').entitlements;
    expect(findEntitlement(balances, 'EDE')).toMatchObject({ purchased: 360, remaining: 360 });
    expect(findEntitlement(balances, 'DESIGNATED_ENGINEERING')).toMatchObject({ purchased: 40, remaining: 40 });
    expect((await workOrders.findResource<SwapRecord>('swap', swap.id))?.data.status).toBe('approved');
    expect(workOrders.timelineOf('wo-1').map((t) => [t.kind, t.rule])).toEqual([
      ['swapRequested', 'SWAP-1'],
      ['swapApproved', 'SWAP-1'],
    ]);
    // Consent is given once.
    const again = await decideEntitlementSwap(services, swap.id, { approved: false, by: 'sdr' }, {}).catch((e) => e);
    expect(again).toMatchObject({ rule: 'SWAP-1', status: 409 });
  });

  it('SWAP-1: consent is judged on the balance at the time of consent (hours used since are not swapped)', async () => {
    const { services, workOrders } = setup();
    const swap = await requestEntitlementSwap(
      services,
      'wo-1',
      { from: 'EDE', to: 'DESIGNATED_ENGINEERING', hours: 400, fundedBy: 'purchase', country: 'NL' },
      {},
    );
    // An hour of EDE is used between the request and the consent, in a write that wins the race.
    workOrders.conflictOnce((current) => ({
      ...current,
      entitlements: current.entitlements.map((e) =>
        e.serviceCode === 'EDE' ? { ...e, consumed: 1, remaining: 399 } : e,
      ),
    }));
    expect(await ruleOf(decideEntitlementSwap(services, swap.id, { approved: true, by: 'sdr' }, {}))).toBe('ENT-1');
    expect((await workOrders.findResource<SwapRecord>('swap', swap.id))?.data.status).toBe('awaitingConsent');
    const declined = await decideEntitlementSwap(services, swap.id, { approved: false, by: 'sdr' }, {});
    expect(declined.status).toBe('declined');
    expect(findEntitlement(workOrders.current('wo-1').entitlements, 'EDE').remaining).toBe(399);
    await expect(decideEntitlementSwap(services, 'missing', { approved: true, by: 'sdr' }, {})).rejects.toBeInstanceOf(
      NotFound,
    );
  });
});
