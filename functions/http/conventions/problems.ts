import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import { ZodError } from 'zod';
import { NotFound, StaleVersion } from '../../../app/errors';
import { ConcurrencyConflict } from '../../../domain/incidents/incidentStore';
import { isRuleViolation } from '../../../domain/ruleViolation';
import { WorkOrderConflict } from '../../../domain/workOrder/workOrderStore';

/** An HTTP-level failure with its status (401, 403, 404, 409, 412) and a message a caller understands. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

export const unauthorized = (detail = 'Sign in: no client principal was presented.') =>
  new HttpProblem(401, 'Unauthorized', detail);
export const payloadTooLarge = (limit: number) =>
  new HttpProblem(413, 'Content Too Large', `The body is larger than ${limit} bytes.`);
export const forbidden = (detail = 'Your role does not allow this.') => new HttpProblem(403, 'Forbidden', detail);
export const notFound = (what: string) => new HttpProblem(404, 'Not Found', `${what} does not exist.`);
function problem(status: number, title: string, detail: string, extra: Record<string, unknown> = {}): HttpResponseInit {
  return {
    status,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({ type: 'about:blank', title, status, detail, ...extra }),
  };
}

/** The one mapping from errors to RFC 9457 problem details. Unexpected errors are logged, never echoed. */
export function toProblem(error: unknown, context: InvocationContext): HttpResponseInit {
  if (error instanceof HttpProblem) return problem(error.status, error.title, error.message, error.extra);
  if (error instanceof NotFound) return problem(404, 'Not Found', error.message);
  if (error instanceof StaleVersion) return problem(412, 'Precondition Failed', error.message);
  if (error instanceof WorkOrderConflict || error instanceof ConcurrencyConflict)
    return problem(409, 'Conflict', error.message);
  if (error instanceof ZodError) {
    return problem(400, 'Bad Request', 'The request is malformed.', {
      errors: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  if (isRuleViolation(error)) {
    const title = error.status === 409 ? 'Conflict' : error.status === 400 ? 'Bad Request' : 'Unprocessable Content';
    return problem(error.status, title, error.message, {
      rule: error.rule,
      ...(error.path ? { errors: [{ path: error.path, message: error.message }] } : {}),
      ...(error.explanation ? { explanation: error.explanation } : {}),
    });
  }
  context.error(`Unexpected failure in ${context.functionName} (invocation ${context.invocationId}):`, error);
  return problem(500, 'Internal Server Error', `Something went wrong. Invocation ID: ${context.invocationId}.`);
}
