import type { Logger } from '../log';
import { RedactingSpanProcessor } from './redaction';

export interface Telemetry {
  /** Flushes what is buffered (spans, the last metrics) and stops. */
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry with the Azure Monitor distro when APPLICATIONINSIGHTS_CONNECTION_STRING is
 * set: incoming requests, outgoing HTTP (the Teams connector) and Azure SDK calls (Table Storage)
 * as requests and dependencies, and the bot's metrics (./metrics). Call it before the bot's
 * modules are loaded, so their HTTP and storage clients are instrumented. Unset, nothing is
 * loaded and undefined is returned (start-up stays fast).
 *
 * Spans pass through RedactingSpanProcessor first: only an allow-list of attributes, and URLs
 * without queries, keys or ids, reach Application Insights. Log collection (console, bunyan,
 * winston) is off: the bot's log goes to stdout (App Service log stream).
 */
export function startTelemetry(settings: { connectionString?: string }, log: Logger): Telemetry | undefined {
  if (!settings.connectionString) return undefined;
  process.env.OTEL_SERVICE_NAME ??= 'norrbus-bot';
  const monitor = require('@azure/monitor-opentelemetry') as typeof import('@azure/monitor-opentelemetry');
  type Options = NonNullable<Parameters<typeof monitor.useAzureMonitor>[0]>;
  monitor.useAzureMonitor({
    azureMonitorExporterOptions: { connectionString: settings.connectionString },
    // A few hundred turns a day: keep every trace rather than the distro's 5 per second.
    samplingRatio: 1,
    tracesPerSecond: 0,
    enableLiveMetrics: false,
    instrumentationOptions: {
      http: { enabled: true, ignoreIncomingRequestHook: (request: { url?: string }) => request.url === '/healthz' } as NonNullable<Options['instrumentationOptions']>['http'],
      azureSdk: { enabled: true },
      bunyan: { enabled: false },
      winston: { enabled: false },
      mongoDb: { enabled: false },
      mySql: { enabled: false },
      postgreSql: { enabled: false },
      redis: { enabled: false },
      redis4: { enabled: false },
    },
    spanProcessors: [new RedactingSpanProcessor() as unknown as NonNullable<Options['spanProcessors']>[number]],
  });
  log.info('telemetry to Application Insights started');
  return { shutdown: () => monitor.shutdownAzureMonitor() };
}
