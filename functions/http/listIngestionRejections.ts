import { rejectionStore } from '../compositionRoot';
import { endpoint, json, paging } from './conventions/endpoint';

/** GET /api/ingestion/rejections — ticket messages that could never apply, newest first (provider staff only). */
export const listIngestionRejections = endpoint('listIngestionRejections', {
  method: 'GET',
  route: 'ingestion/rejections',
  roles: ['Provider.Csam'],
  handler: async ({ request }) => json(200, await (await rejectionStore()).listNewestFirst(paging(request))),
});
