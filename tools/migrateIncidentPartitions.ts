import { clock } from '../infra/clock';
import { config } from '../infra/config';
import { migrateIncidentPartitions } from '../infra/tables/incidentPartitionMigration';
import { TableClients } from '../infra/tables/tableClients';

/**
 * `npm run migrate:incidents -- [--dry-run]`: moves incidents stored before their own partitions (commit 41baa49)
 * into them, in the `<TABLE_NAME_PREFIX>WorkOrders` table of the storage `AzureWebJobsStorage` names (a connection
 * string, or `AzureWebJobsStorage__accountName` / `__tableServiceUri` with DefaultAzureCredential). Run it with the
 * app stopped. Prints the counts as JSON; exits 1 when an incident was left in place for a conflict. A run that
 * leaves none writes the layout marker, without which the app refuses to start on a store that has old incidents.
 */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const unknown = args.filter((arg) => arg !== '--dry-run');
  if (unknown.length) {
    console.error(`Unknown argument ${unknown.join(' ')}; usage: npm run migrate:incidents -- [--dry-run]`);
    return 2;
  }
  const table = new TableClients(config()).existing('WorkOrders');
  const report = await migrateIncidentPartitions(table, { dryRun: args.includes('--dry-run'), now: clock.now });
  console.log(JSON.stringify(report, null, 2));
  return report.conflicts ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  },
);
