import type { OrchestrationHandler } from 'durable-functions';

// durable-functions' own testing utilities (lib/src/util/testingUtils): the same executor Azure runs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const testing = require('durable-functions/lib/src/util/testingUtils') as {
  createOrchestrator(fn: OrchestrationHandler): (trigger: unknown, context: unknown) => Promise<OrchestratorState>;
  DummyOrchestrationContext: new () => unknown;
  DurableOrchestrationInput: new (
    instanceId: string,
    history: unknown[],
    input: unknown,
    longTimerInterval: string,
    maxShortTimer: string,
    httpSleepMs: number,
    schemaVersion: number,
    isReplaying: boolean,
  ) => unknown;
};

export interface Action {
  actionType: number;
  functionName?: string;
  input?: unknown;
  fireAt?: string;
  isCanceled?: boolean;
  externalEventName?: string;
  compoundActions?: Action[];
}

export interface OrchestratorState {
  isDone: boolean;
  actions: Action[][];
  output?: unknown;
  customStatus?: unknown;
}

export const ActionType = {
  CallActivity: 0,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  WhenAny: 11,
} as const;

/** History events in the Durable Task Framework's JSON shape (durable-protocol B §3). */
export const history = {
  orchestratorStarted: (at: string) => ({ EventType: 12, EventId: -1, IsPlayed: false, Timestamp: at }),
  executionStarted: (at: string, input: unknown) => ({
    EventType: 0,
    EventId: -1,
    IsPlayed: false,
    Timestamp: at,
    Name: 'x',
    Input: JSON.stringify(input),
  }),
  taskScheduled: (id: number, at: string, name: string) => ({
    EventType: 4,
    EventId: id,
    IsPlayed: false,
    Timestamp: at,
    Name: name,
  }),
  taskCompleted: (id: number, at: string, result: unknown) => ({
    EventType: 5,
    EventId: -1,
    IsPlayed: false,
    Timestamp: at,
    TaskScheduledId: id,
    Result: JSON.stringify(result ?? null),
  }),
  timerCreated: (id: number, at: string, fireAt: string) => ({
    EventType: 10,
    EventId: id,
    IsPlayed: false,
    Timestamp: at,
    FireAt: fireAt,
  }),
  timerFired: (id: number, at: string, fireAt: string) => ({
    EventType: 11,
    EventId: -1,
    IsPlayed: false,
    Timestamp: at,
    TimerId: id,
    FireAt: fireAt,
  }),
  eventRaised: (name: string, at: string, input: unknown) => ({
    EventType: 15,
    EventId: -1,
    IsPlayed: false,
    Timestamp: at,
    Name: name,
    Input: JSON.stringify(input),
  }),
};

/** Runs one episode of an orchestrator over `events` (schema V3, as the extension sends it) and returns its state. */
export async function replay(
  handler: OrchestrationHandler,
  input: unknown,
  events: unknown[],
): Promise<OrchestratorState> {
  const run = testing.createOrchestrator(handler);
  const trigger = new testing.DurableOrchestrationInput(
    'test-instance',
    structuredClone(events),
    input,
    '3.00:00:00',
    '36500.00:00:00',
    30000,
    2,
    false,
  );
  // Round-trip through JSON: that is what the host receives (dates become ISO strings).
  return JSON.parse(JSON.stringify(await run(trigger, new testing.DummyOrchestrationContext()))) as OrchestratorState;
}

/** The leaf actions of a V2/V3 state, compound actions expanded depth-first. */
export function leaves(state: OrchestratorState): Action[] {
  const out: Action[] = [];
  const walk = (a: Action) => (a.compoundActions ? a.compoundActions.forEach(walk) : out.push(a));
  (state.actions[0] ?? []).forEach(walk);
  return out;
}
