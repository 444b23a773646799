import { app } from '@azure/functions';
import { openApiDocument } from './openApiDocument';

/** GET /api/openapi.json: the OpenAPI 3.1 document, generated from the same zod schemas the endpoints use. */
app.http('getOpenApiDocument', {
  methods: ['GET'],
  route: 'openapi.json',
  authLevel: 'anonymous',
  handler: async () => ({ jsonBody: openApiDocument() }),
});
