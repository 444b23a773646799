import { AsyncLocalStorage } from 'node:async_hooks';
import type { WorkOrderView } from '../domain/workOrder/workOrderView';

/** What a real request decided, captured just before it would have been written. */
export interface DryRunCapture {
  workOrder: WorkOrderView;
  result: unknown;
}

/** Thrown by the write path inside a what-if: the decision is made, nothing is written. */
export class DryRunStop extends Error {
  override readonly name = 'DryRunStop';
  constructor(readonly capture: DryRunCapture) {
    super('what-if: stopped before writing');
  }
}

const dryRuns = new AsyncLocalStorage<true>();

/**
 * Runs a real request's handler as a what-if (api-contract "Explanations and what-if"): every check and decision
 * runs as for the real request, and its write path stops at the point of writing, so nothing is stored, no
 * timeline entry is made and no lifecycle is started.
 */
export function dryRun<T>(run: () => Promise<T>): Promise<T> {
  return dryRuns.run(true, run);
}

/** Called by the write path with what it is about to write: inside a what-if it stops there. */
export function stopIfDryRun(capture: DryRunCapture): void {
  if (dryRuns.getStore()) throw new DryRunStop(capture);
}
