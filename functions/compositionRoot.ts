import { config } from '../infra/config';
import { TableClients } from '../infra/tables/tableClients';

/**
 * Builds every adapter once, on first use (so importing a function module has no side effects), and hands
 * them to the thin triggers.
 */
let tables: TableClients | undefined;

export function tableClients(): TableClients {
  tables ??= new TableClients(config());
  return tables;
}
