import { app } from '@azure/functions';
import { openApiDocument } from './conventions/openApi';

/** GET /api/openapi.json: the OpenAPI 3.1 document, generated from what each endpoint registers. */
export const getOpenApiDocument = async () => ({ jsonBody: openApiDocument() });

app.http('getOpenApiDocument', {
  methods: ['GET'],
  route: 'openapi.json',
  authLevel: 'anonymous',
  handler: getOpenApiDocument,
});
