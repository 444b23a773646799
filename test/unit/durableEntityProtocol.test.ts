import { describe, expect, it } from 'vitest';
import {
  entityBatchCommit,
  lockCommit,
  nextEntityStep,
  releaseCommit,
  releaseEvent,
  requestEvent,
  type EntityRequest,
} from '../../infra/local/durable/entityProtocol';
import type { EntityRecord, InboxItem } from '../../infra/local/durable/instanceStore';

const T0 = '2027-03-01T08:00:00.000Z';
const free: EntityRecord = {
  entityId: '@counter@k',
  exists: true,
  state: '5',
  lockedBy: null,
  released: [],
  lastModifiedTime: null,
};
let n = 0;
const op = (request: Partial<EntityRequest>): InboxItem => {
  const full: EntityRequest = {
    id: `r${++n}`,
    op: 'add',
    signal: true,
    input: '1',
    parent: null,
    parentExecution: null,
    ...request,
  };
  return { rowKey: `i:${String(n).padStart(4, '0')}`, executionId: null, event: requestEvent(full, T0) };
};

describe('durable entity protocol (pure parts)', () => {
  it('batches consecutive operations, and takes a lock request or a release as a step of its own', () => {
    const inbox = [op({}), op({}), op({ op: null, lockset: ['@counter@k'], pos: 0, parent: 'o1' }), op({})];
    const first = nextEntityStep(free, inbox, 20);
    expect(first && 'operations' in first && first.operations.map((o) => o.request.id)).toEqual(['r1', 'r2']);
    const second = nextEntityStep(free, inbox.slice(2), 20);
    expect(second && 'control' in second && second.control.kind).toBe('lock');
  });

  it('while locked takes only the owner’s requests and release; the others wait in order', () => {
    const locked = { ...free, lockedBy: 'o1' };
    const other = op({ parent: 'o2' });
    const mine = op({ parent: 'o1', signal: false });
    const step = nextEntityStep(locked, [other, mine], 20);
    expect(step && 'operations' in step && step.operations.map((o) => o.item)).toEqual([mine]);
    const release: InboxItem = { rowKey: 'i:9999', executionId: null, event: releaseEvent('o1', 'lock-1', T0) };
    expect(nextEntityStep(locked, [other, release], 20)).toMatchObject({ control: { kind: 'release', parent: 'o1' } });
    expect(nextEntityStep(locked, [other], 20)).toBeUndefined();
  });

  it('answers each call (result or exceptionType) to the caller’s execution and turns entity signals into requests', () => {
    const call = { request: { id: 'c1', op: 'get', signal: false, input: null, parent: 'o1', parentExecution: 'e1' } };
    const bad = { request: { ...call.request, id: 'c2', op: 'fail' } };
    const signal = { request: { ...call.request, id: 's1', signal: true } };
    const { entity, messages } = entityBatchCommit({
      entity: free,
      operations: [call, bad, signal],
      result: {
        results: [{ isError: false, result: '5' }, { isError: true, result: '{}' }, { isError: false }],
        signals: [{ target: { name: 'Counter', key: 'other' }, name: 'add', input: '5' }],
        entityExists: true,
        entityState: '6',
      },
      now: T0,
      scope: 'b1',
    });
    expect(entity.state).toBe('6');
    expect(messages.map((m) => m.payload)).toEqual([
      { target: 'o1', executionId: 'e1', event: expect.objectContaining({ Name: 'c1', Input: '{"result":"5"}' }) },
      {
        target: 'o1',
        executionId: 'e1',
        event: expect.objectContaining({ Name: 'c2', Input: '{"result":"{}","exceptionType":"Error"}' }),
      },
      { target: '@counter@other', executionId: null, event: expect.objectContaining({ Name: 'op' }) },
    ]);
  });

  it('passes a lock request along the sorted lock set; the last entity answers the orchestration', () => {
    const request: EntityRequest = {
      id: 'lock-1',
      op: null,
      signal: false,
      input: null,
      parent: 'o1',
      parentExecution: 'e1',
      lockset: ['@a@1', '@b@2'],
      pos: 0,
    };
    const atFirst = lockCommit({ ...free, entityId: '@a@1' }, request, T0, 'x');
    expect(atFirst.entity.lockedBy).toBe('o1');
    expect(atFirst.messages[0]?.payload).toMatchObject({ target: '@b@2' });
    const atLast = lockCommit({ ...free, entityId: '@b@2' }, { ...request, pos: 1 }, T0, 'y');
    expect(atLast.messages[0]?.payload).toMatchObject({ target: 'o1', executionId: 'e1', event: { Name: 'lock-1' } });
  });

  it('drops a lock request whose release arrived first (its requester ended while acquiring)', () => {
    const request: EntityRequest = {
      id: 'lock-9',
      op: null,
      signal: false,
      input: null,
      parent: 'o9',
      parentExecution: 'e9',
      lockset: ['@a@1', '@counter@k'],
      pos: 1,
    };
    const released = releaseCommit(free, { parent: 'o9', lockRequestId: 'lock-9' });
    expect(released.released).toEqual(['lock-9']);
    expect(lockCommit(released, request, T0, 'z')).toEqual({ entity: released, messages: [] });
    const owned = releaseCommit({ ...free, lockedBy: 'o9' }, { parent: 'o9', lockRequestId: 'lock-9' });
    expect(owned).toMatchObject({ lockedBy: null, released: [] });
  });
});
