import TableConfiguration from 'azurite/dist/src/table/TableConfiguration';
import TableServer from 'azurite/dist/src/table/TableServer';

/** Azurite's well-known development account key (public, the same for every Azurite). */
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface RunningAzurite {
  connectionString: string;
  stop(): Promise<void>;
}

/** A real Azurite table service in this process, in memory, on a free port. */
export async function startAzurite(): Promise<RunningAzurite> {
  const config = new TableConfiguration('127.0.0.1', 0, undefined, undefined, false, false, undefined, undefined, false, true, '', '', '', undefined, false, true);
  const server = new TableServer(config);
  await server.start();
  const address = server.getHttpServerAddress();
  const endpoint = `${address.replace(/\/$/, '')}/devstoreaccount1`;
  return {
    connectionString: `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${DEV_KEY};TableEndpoint=${endpoint};`,
    stop: async () => {
      await server.close();
      await server.clean();
    },
  };
}
