import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * There is no Bicep compiler here, so the deployment's promises are checked in its text: Easy Auth on, one
 * user-assigned identity for every connection, least-privilege roles, no basic publishing, Node 22, and a package
 * that holds only what Azure runs. Each check fails when its setting goes missing.
 */
const root = path.resolve(__dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const app = read('infra/bicep/modules/app.bicep');
const rbac = read('infra/bicep/modules/rbac.bicep');
const main = read('infra/bicep/main.bicep');

/** The body of one `resource <name> ... = { ... }` declaration (up to the next top-level declaration). */
function resource(text: string, name: string): string {
  const start = text.search(new RegExp(`^resource ${name} `, 'm'));
  expect(start, `resource ${name}`).toBeGreaterThanOrEqual(0);
  const rest = text.slice(start + 1);
  const end = rest.search(/^(resource|module|output|param|var) /m);
  return end < 0 ? rest : rest.slice(0, end);
}

const ROLE = {
  serviceBusDataOwner: '090c5cfd-751d-490a-894a-3ce6f1109419',
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0',
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
};

describe('deployment (infra/bicep, azure.yaml)', () => {
  it('turns App Service Authentication on: Entra ID with clientId, issuer and audiences; 401 for the unauthenticated; the public paths excluded', () => {
    const auth = resource(app, 'auth');
    expect(auth).toMatch(/name: 'authsettingsV2'/);
    expect(auth).toMatch(/platform: \{[^}]*enabled: true/);
    expect(auth).toMatch(/requireAuthentication: true/);
    expect(auth).toMatch(/unauthenticatedClientAction: 'Return401'/);
    for (const excluded of ['/api/openapi.json', '/api/ui', '/api/ui/*'])
      expect(auth).toMatch(new RegExp(`excludedPaths: \\[[^\\]]*'${excluded.replace(/[*/.]/g, '\\$&')}'`));
    expect(auth).toMatch(/azureActiveDirectory: \{\s*enabled: true/);
    expect(auth).toMatch(/registration: \{ clientId: authClientId, openIdIssuer: authOpenIdIssuer \}/);
    expect(auth).toMatch(/allowedAudiences: authAllowedAudiences/);
    for (const param of ['authClientId', 'authOpenIdIssuer', 'authAllowedAudiences'])
      expect(main).toMatch(new RegExp(`^param ${param} `, 'm'));
  });

  it('runs as one user-assigned identity, created before the app, for every connection (__credential, __clientId)', () => {
    expect(read('infra/bicep/modules/identity.bicep')).toMatch(/Microsoft\.ManagedIdentity\/userAssignedIdentities/);
    const site = resource(app, 'site');
    expect(site).toMatch(
      /identity: \{ type: 'UserAssigned', userAssignedIdentities: \{ '\$\{identityId\}': \{\} \} \}/,
    );
    expect(app).not.toMatch(/SystemAssigned/);
    expect(site).toMatch(
      /authentication: \{ type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId \}/,
    );
    const settings = [...site.matchAll(/\{ name: '([^']+)', value: ([^}]+) \}/g)].map((m) => [m[1], m[2]!.trim()]);
    const names = settings.map(([n]) => n as string);
    const connections = new Set(
      names
        .filter((n) => /__(accountName|fullyQualifiedNamespace|serviceUri|tableServiceUri)$/.test(n))
        .map((n) => n.split('__')[0]),
    );
    expect([...connections].sort()).toEqual(['AzureWebJobsStorage', 'ServiceBusConnection']);
    for (const connection of connections) {
      expect(settings).toContainEqual([`${connection}__credential`, "'managedidentity'"]);
      expect(settings).toContainEqual([`${connection}__clientId`, 'identityClientId']);
    }
    expect(settings).toContainEqual(['AZURE_CLIENT_ID', 'identityClientId']);
    expect(
      names.some(
        (n) => /ConnectionString$|AccountKey|SharedAccessKey/i.test(n) && n !== 'APPLICATIONINSIGHTS_CONNECTION_STRING',
      ),
    ).toBe(false);
    expect(main.indexOf("module identity 'modules/identity.bicep'")).toBeLessThan(
      main.indexOf("module app 'modules/app.bicep'"),
    );
    expect(main).toMatch(/identityId: identity\.outputs\.id/);
    expect(main).toMatch(/dependsOn: \[ rbac \]/);
  });

  it('grants least privilege: storage roles for the host, Service Bus Receiver/Sender on their queues only, metrics publishing', () => {
    expect(rbac).not.toContain(ROLE.serviceBusDataOwner);
    expect(rbac).toContain(ROLE.monitoringMetricsPublisher);
    const roleOf = (body: string) => /roleDefinitions', (roles\.\w+|r)\)/.exec(body)?.[1];
    const receive = resource(rbac, 'appReceivesTicketEvents');
    expect(receive).toMatch(/scope: ticketEvents/);
    expect(roleOf(receive)).toBe('roles.serviceBusDataReceiver');
    const send = resource(rbac, 'appSendsNotifications');
    expect(send).toMatch(/scope: notifications/);
    expect(roleOf(send)).toBe('roles.serviceBusDataSender');
    expect(resource(rbac, 'appPublishesMetrics')).toMatch(/scope: insights[\s\S]*roles\.monitoringMetricsPublisher/);
    const ticketing = resource(rbac, 'ticketingSends');
    expect(ticketing).toMatch(/for principalId in ticketingPrincipalIds/);
    expect(ticketing).toMatch(/scope: ticketEvents/);
    expect(roleOf(ticketing)).toBe('roles.serviceBusDataSender');
    const consumers = resource(rbac, 'consumersReceive');
    expect(consumers).toMatch(/for principalId in notificationConsumerPrincipalIds/);
    expect(consumers).toMatch(/scope: notifications/);
    expect(roleOf(consumers)).toBe('roles.serviceBusDataReceiver');
    expect(rbac).toMatch(new RegExp(`serviceBusDataReceiver: '${ROLE.serviceBusDataReceiver}'`));
    expect(rbac).toMatch(new RegExp(`serviceBusDataSender: '${ROLE.serviceBusDataSender}'`));
    // Nothing on the whole namespace.
    expect(rbac).not.toMatch(/scope: namespace/);
  });

  it('turns basic publishing (FTP, SCM) off and runs Node 22 on Flex Consumption', () => {
    for (const name of ['ftp', 'scm'])
      expect(resource(app, name)).toMatch(
        new RegExp(`basicPublishingCredentialsPolicies[\\s\\S]*name: '${name}'[\\s\\S]*allow: false`),
      );
    expect(app).toMatch(/runtime: \{ name: 'node', version: '22' \}/);
    expect(app).toMatch(/sku: \{ tier: 'FlexConsumption', name: 'FC1' \}/);
  });

  it('has main.parameters.json for azd', () => {
    const parameters = JSON.parse(read('infra/bicep/main.parameters.json')) as {
      parameters: Record<string, { value: string }>;
    };
    expect(Object.keys(parameters.parameters)).toEqual(
      expect.arrayContaining(['environmentName', 'location', 'authClientId']),
    );
    for (const name of Object.keys(parameters.parameters)) expect(main).toMatch(new RegExp(`^param ${name} `, 'm'));
  });

  it('deploys dist, host.json, package.json and production dependencies only (no local host, Azurite, tests, benches)', () => {
    const azureYaml = read('azure.yaml');
    expect(azureYaml).toMatch(/dist: \.deploy/);
    expect(azureYaml).toMatch(/prepackage:[\s\S]*node infra\/deploy\/stage\.mjs/);
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).not.toContain('azurite');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'usl-stage-'));
    try {
      execFileSync(process.execPath, [path.join(root, 'infra/deploy/stage.mjs'), '--no-install', `--out=${out}`]);
      expect(fs.readdirSync(out).sort()).toEqual(['dist', 'host.json', 'package-lock.json', 'package.json']);
      const staged = JSON.parse(fs.readFileSync(path.join(out, 'package.json'), 'utf8')) as Record<string, unknown>;
      expect(staged).not.toHaveProperty('devDependencies');
      expect(staged).not.toHaveProperty('scripts');
      expect(fs.existsSync(path.join(out, staged['main'] as string))).toBe(true);
      for (const absent of ['dist/infra/local', 'dist/bench', 'dist/tools', 'dist/test'])
        expect(fs.existsSync(path.join(out, absent)), absent).toBe(false);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
