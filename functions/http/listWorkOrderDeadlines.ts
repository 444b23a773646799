import { z } from 'zod';
import * as deadlines from '../../app/deadlines';
import { endpoint, json, paging, pagingQuery } from './conventions/endpoint';
import { lifecycleIdOf } from './conventions/lifecycleIds';
import { HttpProblem } from './conventions/problems';
import { workOrderForCaller } from './conventions/workOrderAccess';

const instantOrDate = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).optional();

/** A continuation token this endpoint issued: where the next page starts, for the same window. */
const tokenSchema = z
  .object({ o: z.number().int().min(0), f: z.string().nullable(), t: z.string().nullable() })
  .strict();

function badRequest(path: string, message: string): HttpProblem {
  return new HttpProblem(400, 'Bad Request', message, { errors: [{ path, message }] });
}

/**
 * GET /api/work-orders/{id}/deadlines?from=&to= — every dated promise of the Work Order across its lifecycles (term,
 * incidents, AEM events, cybersecurity engagements), in time order, each with its lifecycle and explanation.
 */
export const listWorkOrderDeadlines = endpoint('listWorkOrderDeadlines', {
  method: 'GET',
  route: 'work-orders/{id}/deadlines',
  roles: ['Customer.Reader', 'Customer.Manager', 'Provider.Csam'],
  summary: "Every deadline of a Work Order's lifecycles in time order, with its explanation (?from=&to=)",
  query: {
    from: instantOrDate.describe('Earliest instant or date (inclusive).'),
    to: instantOrDate.describe('Latest instant or date (exclusive).'),
    ...pagingQuery,
  },
  responses: { status: 200, errors: [400, 401, 403, 404] },
  handler: async ({ services, params, principal, request }) => {
    const { limit, continuationToken } = paging(request, { ownToken: true });
    const parsed = (name: 'from' | 'to') => {
      const raw = request.query.get(name);
      if (raw === null || raw === '') return null;
      if (!instantOrDate.safeParse(raw).success) throw badRequest(name, 'an ISO 8601 instant with offset or a date');
      return raw;
    };
    let from = parsed('from');
    let to = parsed('to');
    let offset = 0;
    if (continuationToken) {
      let token: z.output<typeof tokenSchema>;
      try {
        token = tokenSchema.parse(JSON.parse(Buffer.from(continuationToken, 'base64url').toString('utf8')));
      } catch {
        throw badRequest('continuationToken', 'not a continuation token this endpoint issued');
      }
      ({ o: offset, f: from, t: to } = token);
    }
    const { workOrder } = await workOrderForCaller(services, params['id'] ?? '', principal, 'read');
    const all = await deadlines.workOrderDeadlinesOf(services, workOrder, { from, to }, lifecycleIdOf);
    const items = all.slice(offset, offset + limit);
    const more = offset + limit < all.length;
    return json(200, {
      now: services.clock.now().toISOString(),
      items,
      continuationToken: more
        ? Buffer.from(JSON.stringify({ o: offset + limit, f: from, t: to })).toString('base64url')
        : null,
    });
  },
});
