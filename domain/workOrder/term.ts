import type { Term } from './workOrderSchema';

/** What the term of a Work Order depends on: its contracted term and a termination's last day, if any. */
export interface TermSource {
  readonly term: Term;
  /** The last day of a shortened term (rules.md section 9, Termination); null while none is set. */
  readonly terminatesOn?: string | null;
}

/** rule EXP-1: the last day a Work Order can be used — the term end, or the termination's `at` when earlier. */
export function lastDayOfTerm(view: TermSource): string {
  const at = view.terminatesOn;
  // Stryker disable next-line EqualityOperator: on equal dates both branches give the same date
  return at && at < view.term.end ? at : view.term.end;
}

/** The term as it now runs: dates derived from the term end (REQ-60, reminders, expiry) follow a termination. */
export function effectiveTerm(view: TermSource): Term {
  return { start: view.term.start, end: lastDayOfTerm(view) };
}
