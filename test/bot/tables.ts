import { TableClient, TableServiceClient } from '@azure/data-tables';

export type TableDump = Record<string, Record<string, unknown>[]>;

/**
 * Every entity in every table of one store (by its table prefix), without the service's own
 * metadata (etag, timestamp), sorted by key: what "nothing stored" and "unchanged" compare.
 */
export async function dumpTables(storage: { connectionString: string; tablePrefix: string }): Promise<TableDump> {
  const options = { allowInsecureConnection: true };
  const service = TableServiceClient.fromConnectionString(storage.connectionString, options);
  const names: string[] = [];
  for await (const table of service.listTables()) {
    if (table.name?.startsWith(storage.tablePrefix)) names.push(table.name);
  }
  const dump: TableDump = {};
  for (const name of names.sort()) {
    const client = TableClient.fromConnectionString(storage.connectionString, name, options);
    const rows: Record<string, unknown>[] = [];
    for await (const entity of client.listEntities<Record<string, unknown>>()) {
      const row: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(entity)) {
        if (key === 'etag' || key === 'timestamp' || key.startsWith('odata')) continue;
        row[key] = value;
      }
      rows.push(row);
    }
    rows.sort((a, b) => `${a.partitionKey}\u0000${a.rowKey}`.localeCompare(`${b.partitionKey}\u0000${b.rowKey}`));
    dump[name.slice(storage.tablePrefix.length)] = rows;
  }
  return dump;
}

/** How many entities each table holds. */
export function counts(dump: TableDump): Record<string, number> {
  return Object.fromEntries(Object.entries(dump).map(([name, rows]) => [name, rows.length]));
}
