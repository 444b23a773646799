// SWAP-1 / FLEX-5: the hours an approved swap moves, in the units of each service, and the guards around it.
import { describe, expect, it } from 'vitest';
import {
  decideSwap,
  findEntitlement,
  newBalance,
  pendingSwap,
  requestSwap,
  type SwapRecord,
} from '../../domain/workOrder/entitlements';

const violation = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    const { rule, path, status } = e as { rule?: string; path?: string; status?: number };
    return { rule, path, status };
  }
  return null;
};

describe('SWAP-1 approved swaps', () => {
  it('SWAP-1: approving moves the hours from one service to an existing entitlement of the other', () => {
    const balances = [newBalance('EDE', 400, '2027-12-31'), newBalance('DEV_SUPPORT_ASSISTANCE', 10, '2027-12-31')];
    const pending = requestSwap(balances, {
      from: 'EDE',
      to: 'DEV_SUPPORT_ASSISTANCE',
      hours: 8,
      fundedBy: 'purchase',
      country: 'NL',
    });
    expect(pending).toMatchObject({ rule: 'SWAP-1', status: 'awaitingConsent', hours: 8 });
    const approved = decideSwap(balances, pending, { approved: true, by: 'sdr' });
    expect(approved.status).toBe('approved');
    expect(findEntitlement(approved.balances, 'EDE')).toMatchObject({ purchased: 392, remaining: 392 });
    expect(findEntitlement(approved.balances, 'DEV_SUPPORT_ASSISTANCE')).toMatchObject({
      purchased: 18,
      remaining: 18,
    });
    expect(approved.balances).toHaveLength(2);
  });

  it('SWAP-1: hours are converted to days of 8 hours, and a new entitlement ends when the one swapped from does', () => {
    const balances = [newBalance('CYBER_INCIDENT_RESPONSE', 10, '2027-09-30')];
    const pending = requestSwap(balances, {
      from: 'CYBER_INCIDENT_RESPONSE',
      to: 'DESIGNATED_ENGINEERING',
      hours: 16,
      fundedBy: 'purchase',
      country: 'NL',
    });
    const approved = decideSwap(balances, pending, { approved: true, by: 'sdr' });
    expect(findEntitlement(approved.balances, 'CYBER_INCIDENT_RESPONSE')).toMatchObject({ purchased: 8, remaining: 8 });
    expect(findEntitlement(approved.balances, 'DESIGNATED_ENGINEERING')).toMatchObject({
      purchased: 16,
      remaining: 16,
      endsOn: '2027-09-30',
    });
  });

  it('SWAP-1: the whole remaining balance may be swapped; more is refused when the consent is given', () => {
    const balances = [newBalance('EDE', 40, '2027-12-31')];
    const whole = requestSwap(balances, {
      from: 'EDE',
      to: 'DESIGNATED_ENGINEERING',
      hours: 40,
      fundedBy: 'purchase',
      country: 'NL',
    });
    expect(findEntitlement(decideSwap(balances, whole, { approved: true, by: 'sdr' }).balances, 'EDE').remaining).toBe(
      0,
    );
    const used = [{ ...balances[0]!, consumed: 1, remaining: 39 }];
    expect(violation(() => decideSwap(used, whole, { approved: true, by: 'sdr' }))).toMatchObject({
      rule: 'ENT-1',
      path: 'hours',
    });
    expect(decideSwap(used, whole, { approved: false, by: 'sdr' })).toEqual({ status: 'declined', balances: used });
  });

  it('SWAP-1: only services measured in hours or days can be swapped', () => {
    const balances = [newBalance('EDE', 40, '2027-12-31'), newBalance('WORKSHOP', 2, '2027-12-31')];
    expect(
      violation(() =>
        requestSwap(balances, { from: 'EDE', to: 'WORKSHOP', hours: 8, fundedBy: 'purchase', country: 'NL' }),
      ),
    ).toMatchObject({ rule: 'SWAP-1', path: 'to' });
    expect(
      violation(() =>
        requestSwap(balances, { from: 'WORKSHOP', to: 'EDE', hours: 8, fundedBy: 'flex', country: 'NL' }),
      ),
    ).toMatchObject({ rule: 'FLEX-5', path: 'to' });
  });

  it('SWAP-1: a decided swap cannot be decided again (409 under its own rule)', () => {
    const record: SwapRecord = {
      id: 's1',
      workOrderId: 'wo-1',
      from: 'EDE',
      to: 'DESIGNATED_ENGINEERING',
      hours: 8,
      fundedBy: 'purchase',
      country: 'NL',
      rule: 'SWAP-1',
      status: 'approved',
      requestedAt: '2027-03-01T10:00:00Z',
      decision: { by: 'sdr', at: '2027-03-02T10:00:00Z' },
    };
    expect(violation(() => pendingSwap(record))).toEqual({ rule: 'SWAP-1', path: '', status: 409 });
    expect(pendingSwap({ ...record, status: 'awaitingConsent', decision: null })).toEqual({
      from: 'EDE',
      to: 'DESIGNATED_ENGINEERING',
      hours: 8,
      fundedBy: 'purchase',
      country: 'NL',
      status: 'awaitingConsent',
      rule: 'SWAP-1',
    });
  });
});
