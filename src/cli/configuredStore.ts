import { ConfigError, type Config } from '../config/config';
import { openStore, storageConnection, type Store } from '../store/store';

/**
 * The storage the bot uses, for an operator command: by connection string, or as the managed identity
 * (STORAGE_ACCOUNT_NAME) as the bot in Azure does; `missing` names the command when neither is set.
 */
export async function configuredStore(config: Config, missing: string): Promise<Store> {
  const connection = storageConnection(config.storage);
  if (!connection) throw new ConfigError([missing]);
  return openStore({ ...connection, tablePrefix: config.storage.tablePrefix });
}
