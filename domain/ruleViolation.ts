import type { Explanation } from './explanation';

/** HTTP status the outer layer should answer with when a rule is broken. */
export type RuleViolationStatus = 400 | 409 | 422;

/** Rules whose breach is a conflict with current state (answered 409), not a bad request (422). */
// Stryker disable next-line all: static (built at import: Stryker's vitest runner never activates a mutant there, stryker-js #6144); checked by hand against test/unit/lifecycleCatalogueRootRules.test.ts (RuleViolation: RCA-1, SCHED-1)
const STATE_CONFLICT_RULES: ReadonlySet<string> = new Set(['RCA-1', 'SCHED-1']);

/**
 * The one error the domain throws when a catalogue rule of rules.md is broken.
 * `rule` is the stable rule ID, `message` is customer-readable, `path` names the offending field
 * (dot/bracket path into the request body, '' when the whole request is at fault), and `status`
 * tells the HTTP layer which problem+json status to use.
 */
export class RuleViolation extends Error {
  override readonly name = 'RuleViolation';
  readonly rule: string;
  readonly path: string;
  readonly status: RuleViolationStatus;
  /** Why the rule refused, when the deciding function explains itself (REQ-60, CANCEL-14 ...). */
  readonly explanation?: Explanation;

  constructor(rule: string, message: string, path = '', status?: RuleViolationStatus, explanation?: Explanation) {
    super(message);
    this.rule = rule;
    this.path = path;
    this.status = status ?? (STATE_CONFLICT_RULES.has(rule) ? 409 : 422);
    // Stryker disable next-line ConditionalExpression: the class field is undefined either way when none is given
    if (explanation) this.explanation = explanation;
  }
}

export function isRuleViolation(error: unknown): error is RuleViolation {
  return error instanceof RuleViolation;
}
