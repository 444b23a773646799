/**
 * Every dated promise of a long-running lifecycle (a flex period's end, a term's end, a REQ-60 reminder, an AEM
 * phase, a cyber lapse) is also written to a due-date index, so a sweep can find what fell due without looking at
 * every Work Order, and repair a lifecycle whose orchestration is missing.
 */
export interface DueItem {
  /** Host-independent UTC instant when it falls due. */
  dueAt: string;
  kind: string;
  resourceId: string;
  workOrderId: string;
  /** The orchestration that owns it, and how to start it again if it is gone. */
  instanceId: string;
  orchestration: string;
  restartInput: unknown;
  doneAt: string | null;
}

export interface DueIndex {
  /** Idempotent: the same (dueAt, kind, resourceId) is one item. */
  put(items: DueItem[]): Promise<void>;
  /** Items due in [from, to) not yet done, reading only the days in that range. */
  listOpen(from: string, to: string): Promise<DueItem[]>;
  markDone(item: Pick<DueItem, 'dueAt' | 'kind' | 'resourceId'>, doneAt: string): Promise<void>;
  /** Where the previous sweep stopped (UTC ISO), so each sweep reads only days it has not finished. */
  readCursor(): Promise<string | null>;
  writeCursor(at: string): Promise<void>;
  recordRepair(repair: SweepRepair): Promise<void>;
  listRepairs(): Promise<SweepRepair[]>;
}

export interface SweepRepair {
  at: string;
  instanceId: string;
  kind: string;
  resourceId: string;
  action: 'restarted' | 'signalled' | 'noted';
  detail: string;
}

/** Decides what a sweep does with one overdue item, from the owning orchestration's runtime status. */
export function repairFor(
  item: DueItem,
  runtimeStatus: string | undefined,
  now: string,
  graceMinutes = 60,
): SweepRepair | null {
  const overdueMinutes = (Date.parse(now) - Date.parse(item.dueAt)) / 60_000;
  if (overdueMinutes < 0) return null;
  const running =
    runtimeStatus === 'Running' ||
    runtimeStatus === 'Pending' ||
    runtimeStatus === 'ContinuedAsNew' ||
    runtimeStatus === 'Suspended';
  // Missing (purged, never started), failed or terminated: the promise has no keeper. A completed orchestration
  // did its work, so an item it left open is only noted.
  if (!running && runtimeStatus !== 'Completed') {
    return {
      at: now,
      instanceId: item.instanceId,
      kind: item.kind,
      resourceId: item.resourceId,
      action: 'restarted',
      // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator: repair wording, not a rule
      detail: `${item.kind} of ${item.resourceId} was due ${item.dueAt}; its orchestration was ${runtimeStatus ?? 'missing'} and was started again.`,
    };
  }
  if (overdueMinutes > graceMinutes) {
    return {
      at: now,
      instanceId: item.instanceId,
      kind: item.kind,
      resourceId: item.resourceId,
      action: 'noted',
      // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator: repair wording, not a rule
      detail: `${item.kind} of ${item.resourceId} was due ${item.dueAt} and is still open; its orchestration is ${runtimeStatus}.`,
    };
  }
  return null;
}
