import { endpoint, json, paging, pagingQuery } from './conventions/endpoint';

/** GET /api/ingestion/rejections — ticket messages that could never apply, newest first (provider staff only). */
export const listIngestionRejections = endpoint('listIngestionRejections', {
  method: 'GET',
  route: 'ingestion/rejections',
  roles: ['Provider.Csam'],
  summary: 'Rejected ticketing messages, newest first (Provider.Csam)',
  query: pagingQuery,
  responses: { status: 200, errors: [400, 401, 403] },
  handler: async ({ services, request }) => json(200, await services.rejections.listNewestFirst(paging(request))),
});
