import { createConfig, lintFromString } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { exportedOpenApi } from '../../tools/rules/docs';

describe('the served OpenAPI document', () => {
  it("lints clean with Redocly's recommended ruleset (no errors, no warnings)", async () => {
    const source = await exportedOpenApi();
    const problems = await lintFromString({
      source,
      absoluteRef: 'openapi.json',
      config: await createConfig({ extends: ['recommended'] }),
    });
    const found = problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? ''}`);
    expect(found).toEqual([]);
    // The document is not empty: every operation the app registers is in it.
    expect(Object.keys((JSON.parse(source) as { paths: object }).paths).length).toBeGreaterThan(25);
  }, 60_000);
});
