import type { IncomingMessage, ServerResponse } from 'node:http';
import { ClockConflictError, type HostClock } from './clock';
import { writeJson, writeProblem } from './http/problem';
import type { LocalQueues } from './servicebus/localQueues';

export interface AdminDeps {
  clock: HostClock;
  queues: LocalQueues;
  functionNames: () => string[];
  /** Queues the app uses; any other name is a 404 (a typo must not create a silent new queue). */
  queueNames: () => string[];
  persistClock: () => Promise<void>;
  settle: () => Promise<void>;
}

/** The local-only operator endpoints of the API contract: queues, dead letters, clock, health. */
export async function handleAdmin(
  deps: AdminDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  body: Buffer,
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);

  if (segments[0] === 'health' && segments.length === 1 && method === 'GET') {
    return writeJson(res, 200, {
      status: 'ok',
      storage: 'azurite',
      clock: deps.clock.now().toISOString(),
      functions: deps.functionNames(),
    });
  }

  if (segments[0] === 'clock' && segments.length === 1) {
    if (method === 'GET')
      return writeJson(res, 200, { now: deps.clock.now().toISOString(), virtual: deps.clock.isVirtual });
    if (method === 'POST') return advanceClock(deps, res, body);
  }

  if (segments[0] === 'settle' && segments.length === 1 && method === 'POST') {
    await deps.settle();
    return writeJson(res, 200, { now: deps.clock.now().toISOString() });
  }

  if (segments[0] === 'servicebus' && segments.length === 3 && segments[1]) {
    const queue = segments[1];
    const known = deps.queueNames();
    if (!known.includes(queue.toLowerCase()))
      return writeProblem(
        res,
        404,
        'Not Found',
        `No queue '${queue}': the app uses ${known.length > 0 ? known.map((q) => `'${q}'`).join(', ') : 'no queues'}.`,
      );
    if (segments[2] === 'messages' && method === 'POST') return enqueue(deps, res, queue, body);
    if (segments[2] === 'messages' && method === 'GET')
      return writeJson(res, 200, (await deps.queues.activeMessages(queue)).map(view));
    if (segments[2] === 'deadletter' && method === 'GET')
      return writeJson(res, 200, (await deps.queues.deadLetters(queue)).map(view));
  }

  writeProblem(res, 404, 'Not Found', `No operator endpoint ${method} /admin/${path}.`);
}

async function advanceClock(deps: AdminDeps, res: ServerResponse, body: Buffer): Promise<void> {
  const input = parseJson(body) as { advanceMinutes?: unknown; to?: unknown } | undefined;
  try {
    if (input && typeof input.advanceMinutes === 'number') await deps.clock.advanceBy(input.advanceMinutes);
    else if (input && typeof input.to === 'string' && !Number.isNaN(Date.parse(input.to)))
      await deps.clock.advanceTo(new Date(input.to));
    else return writeProblem(res, 400, 'Bad Request', 'Send { "advanceMinutes": number } or { "to": ISO instant }.');
  } catch (error) {
    if (error instanceof ClockConflictError) return writeProblem(res, 409, 'Conflict', error.message);
    throw error;
  }
  await deps.persistClock();
  writeJson(res, 200, { now: deps.clock.now().toISOString() });
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

async function enqueue(deps: AdminDeps, res: ServerResponse, queue: string, body: Buffer): Promise<void> {
  const input = parseJson(body) as { messageId?: unknown; body?: unknown } | undefined;
  if (!input || typeof input !== 'object' || !('body' in input)) {
    return writeProblem(res, 400, 'Bad Request', 'Send { "messageId"?: string, "body": {...} }.');
  }
  if (input.messageId !== undefined && typeof input.messageId !== 'string') {
    return writeProblem(res, 400, 'Bad Request', 'messageId must be a string.');
  }
  // Service Bus refuses a message id longer than 128 characters (or one that is not valid Unicode) at send.
  if (typeof input.messageId === 'string' && (input.messageId.length > 128 || LONE_SURROGATE.test(input.messageId))) {
    return writeProblem(res, 400, 'Bad Request', 'messageId must be valid text of at most 128 characters.');
  }
  // Service Bus (standard tier) refuses a message over 256 KiB.
  const size = Buffer.byteLength(typeof input.body === 'string' ? input.body : (JSON.stringify(input.body) ?? ''));
  if (size > 256 * 1024) return writeProblem(res, 413, 'Content Too Large', 'A message is at most 256 KiB.');
  const sent = await deps.queues.send(queue, { messageId: input.messageId, body: input.body });
  writeJson(res, 202, { queue, ...sent });
}

function view(m: {
  messageId: string;
  body: string;
  deadLetterReason?: string;
  deadLetterErrorDescription?: string;
  deliveryCount: number;
  enqueuedTimeUtc: string;
  sequenceNumber: number;
}) {
  let body: unknown = m.body;
  try {
    body = JSON.parse(m.body);
  } catch {
    // Not JSON: the body is shown as the text it is.
  }
  return {
    messageId: m.messageId,
    body,
    deadLetterReason: m.deadLetterReason ?? null,
    deadLetterErrorDescription: m.deadLetterErrorDescription ?? null,
    deliveryCount: m.deliveryCount,
    enqueuedTimeUtc: m.enqueuedTimeUtc,
    sequenceNumber: m.sequenceNumber,
  };
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
