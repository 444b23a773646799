import type { TableClient } from '@azure/data-tables';

/** One entity, or undefined when it does not exist (404); other failures propagate. */
export async function readEntity(
  table: TableClient,
  partitionKey: string,
  rowKey: string,
): Promise<Record<string, unknown> | undefined> {
  try {
    return await table.getEntity<Record<string, unknown>>(partitionKey, rowKey);
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

/** Escapes a value for an OData filter string literal. */
export const odataString = (value: string): string => value.replace(/'/g, "''");
