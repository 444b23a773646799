import { RuleViolation } from '../../domain/ruleViolation';

/** What a rule refusal says: the rule, the field, the status and the message; fails when nothing was refused. */
export function refusal(fn: () => unknown): {
  rule: string;
  path: string;
  status: number;
  message: string;
} {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof RuleViolation)) throw e;
    return { rule: e.rule, path: e.path, status: e.status, message: e.message };
  }
  throw new Error('expected a RuleViolation');
}
