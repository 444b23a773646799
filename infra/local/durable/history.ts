/** History events in the Durable Task Framework's JSON shape (durable-protocol B §3): PascalCase, numeric EventType. */
export const EventType = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionTerminated: 3,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  SubOrchestrationInstanceCreated: 7,
  SubOrchestrationInstanceCompleted: 8,
  SubOrchestrationInstanceFailed: 9,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventSent: 14,
  EventRaised: 15,
  ContinueAsNew: 16,
  ExecutionSuspended: 19,
  ExecutionResumed: 20,
} as const;

export const EventTypeName: Record<number, string> = Object.fromEntries(
  Object.entries(EventType).map(([k, v]) => [v, k]),
);

export interface HistoryEvent {
  EventType: number;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
  [field: string]: unknown;
}

export function event(
  type: number,
  timestamp: string,
  fields: Record<string, unknown> = {},
  eventId = -1,
): HistoryEvent {
  return { EventType: type, EventId: eventId, IsPlayed: false, Timestamp: timestamp, ...fields };
}

/** Scheduling events consume the next EventId, which the library matches to its task sequence numbers. */
export function isScheduling(e: HistoryEvent): boolean {
  return (
    e.EventType === EventType.TaskScheduled ||
    e.EventType === EventType.SubOrchestrationInstanceCreated ||
    e.EventType === EventType.TimerCreated ||
    e.EventType === EventType.EventSent
  );
}

/** The id a completion answers (TaskScheduledId or TimerId), or undefined for other events. */
export function completedId(e: HistoryEvent): number | undefined {
  if (e.EventType === EventType.TimerFired) return e['TimerId'] as number;
  if (
    [
      EventType.TaskCompleted,
      EventType.TaskFailed,
      EventType.SubOrchestrationInstanceCompleted,
      EventType.SubOrchestrationInstanceFailed,
    ].includes(e.EventType as 5)
  ) {
    return e['TaskScheduledId'] as number;
  }
  return undefined;
}

export const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  CallEntity: 7,
  CallHttp: 8,
  SignalEntity: 9,
  WhenAny: 11,
  WhenAll: 12,
  LockEntities: 13,
  ReleaseEntities: 14,
} as const;

export interface Action {
  actionType: number;
  functionName?: string;
  instanceId?: string;
  input?: unknown;
  fireAt?: string;
  isCanceled?: boolean;
  externalEventName?: string;
  retryOptions?: RetryOptions;
  compoundActions?: Action[];
  /** CallEntity / SignalEntity. */
  operation?: string;
  /** LockEntities. */
  lockRequestId?: string;
  lockSet?: Array<{ name: string; key: string }>;
}

export interface RetryOptions {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
  retryTimeoutInMilliseconds?: number;
}

export interface OrchestratorState {
  isDone: boolean;
  actions: Action[][];
  output?: unknown;
  customStatus?: unknown;
  error?: string;
}

/** Leaf actions of a V2/V3 state in yield order; WhenAll/WhenAny expanded depth-first (B §5.1). */
export function leafActions(state: OrchestratorState): Action[] {
  const out: Action[] = [];
  const walk = (action: Action) => {
    if (action.actionType === ActionType.WhenAll || action.actionType === ActionType.WhenAny)
      (action.compoundActions ?? []).forEach(walk);
    else out.push(action);
  };
  for (const list of state.actions ?? []) list.forEach(walk);
  return out;
}

/** What a leaf schedules, for the determinism check against what history recorded. */
export function leafSignature(action: Action): string {
  switch (action.actionType) {
    case ActionType.CallActivity:
    case ActionType.CallActivityWithRetry:
      return `activity:${action.functionName}`;
    case ActionType.CallSubOrchestrator:
    case ActionType.CallSubOrchestratorWithRetry:
      return `orchestration:${action.functionName}`;
    case ActionType.CreateTimer:
      return 'timer';
    case ActionType.WaitForExternalEvent:
      return `wait:${action.externalEventName}`;
    case ActionType.CallEntity:
      return `call:${action.instanceId}:${action.operation}`;
    case ActionType.SignalEntity:
      return `signal:${action.instanceId}:${action.operation}`;
    case ActionType.LockEntities:
      return `lock:${(action.lockSet ?? []).map((e) => `${e.name}@${e.key}`).join(',')}`;
    case ActionType.ReleaseEntities:
      return 'release';
    default:
      return `action:${action.actionType}`;
  }
}

/** Activities and continueAsNew carry a string input JSON-encoded once more (B §4). */
export function decodeActivityInput(input: unknown): unknown {
  return typeof input === 'string' ? (JSON.parse(input) as unknown) : input;
}

/** DTFx RetryInterceptor delay: first * backoff^(attempt-1), capped (B §5.6). */
export function retryDelayMs(options: RetryOptions, attempt: number): number {
  const delay = options.firstRetryIntervalInMilliseconds * (options.backoffCoefficient ?? 1) ** (attempt - 1);
  return Math.min(delay, options.maxRetryIntervalInMilliseconds ?? Number.POSITIVE_INFINITY);
}

export const OUT_OF_PROC_LABEL = '\n\n$OutOfProcData$:';
