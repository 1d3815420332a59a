import TableConfiguration from 'azurite/dist/src/table/TableConfiguration';
import TableServer from 'azurite/dist/src/table/TableServer';
import { azuriteConnectionString } from '../../scripts/lib/services';

export interface RunningAzurite {
  connectionString: string;
  stop(): Promise<void>;
}

/** A real Azurite table service in this process, in memory, on a free port. */
export async function startAzurite(): Promise<RunningAzurite> {
  const config = new TableConfiguration('127.0.0.1', 0, undefined, undefined, false, false, undefined, undefined, false, true, '', '', '', undefined, false, true);
  const server = new TableServer(config);
  await server.start();
  const port = Number(new URL(server.getHttpServerAddress()).port);
  return {
    connectionString: azuriteConnectionString(port),
    stop: async () => {
      await server.close();
      await server.clean();
    },
  };
}
