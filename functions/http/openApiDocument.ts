import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';

/** Endpoint modules register their paths here (with the zod schemas they validate with). */
export const openApiRegistry = new OpenAPIRegistry();

openApiRegistry.registerComponent('securitySchemes', 'EasyAuth', {
  type: 'apiKey',
  in: 'header',
  name: 'x-ms-client-principal',
  description: 'Set by Azure App Service Authentication: base64 JSON with `roles` and `customer_id` claims.',
});

export function openApiDocument() {
  return new OpenApiGeneratorV31(openApiRegistry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'unified-support-lifecycle',
      version: '1.0.0',
      description:
        'Work Orders, entitlements and durable SLA clocks for Unified Support contracts (api-contract.md, version 1).',
    },
    servers: [{ url: '/api' }],
    security: [{ EasyAuth: [] }],
  });
}
