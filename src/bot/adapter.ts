import { CallerIdConstants, ConfigurationServiceClientCredentialFactory, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';
// botbuilder's own connector package (the version botbuilder pins); botbuilder does not re-export these.
import {
  AuthenticationConstants,
  BotFrameworkAuthentication,
  ConnectorFactory,
  type AuthenticateRequestResult,
  type ClaimsIdentity,
  type ConnectorClient,
} from 'botframework-connector';
import type { Config } from '../config/config';
import { hardenConnectorClient } from '../teams/connectorPipeline';
import { assertAllowedServiceUrl, type ServiceHosts } from '../teams/serviceUrl';

/** How one incoming activity went, for the HTTP layer to answer without showing any internals. */
export type ActivityOutcome =
  /** Processed; an invoke carries the answer Teams waits for (undefined: no route answered it). */
  | { kind: 'done'; invokeResponse?: InvokeResponse; turnFailed: boolean }
  /** The token (or its absence) did not prove the request comes from the Bot Framework for this bot. */
  | { kind: 'unauthorized'; error: unknown }
  /** Something failed outside what the turn's error handler could absorb. */
  | { kind: 'failed'; error: unknown };

type Logic = (context: TurnContext) => Promise<void>;

/** CONNECTOR_TIMEOUT_SECONDS' default, for an adapter built without the configuration. */
const DEFAULT_CONNECTOR_TIMEOUT_MS = 5_000;

/** What every connector client is held to: where it may send, and how long one call may take. */
interface ConnectorPolicy {
  hosts: ServiceHosts;
  /** Each HTTP call to Teams is aborted after this (config.connector.timeoutMs). */
  timeoutMs: number;
}

/**
 * A connector factory that refuses service URLs outside the allow-list before creating a client,
 * and hands out only clients without hidden retries and with a timeout on every call
 * (src/teams/connectorPipeline.ts): a 429 or a hung Teams service costs one request and at most
 * the timeout, and the outbox schedules the retry.
 */
class AllowListedConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly inner: ConnectorFactory,
    private readonly policy: ConnectorPolicy,
  ) {
    super();
  }

  async create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    assertAllowedServiceUrl(serviceUrl, this.policy.hosts);
    const client = await this.inner.create(serviceUrl, audience);
    hardenConnectorClient(client, this.policy.timeoutMs);
    return client;
  }
}

/**
 * botbuilder's authentication with every connector it hands out wrapped in the allow-list: replies
 * in a turn, proactive posts, roster and team lookups all get their clients here, so none can
 * reach a host the configuration does not name.
 */
class AllowListedAuthentication extends BotFrameworkAuthentication {
  constructor(
    private readonly inner: BotFrameworkAuthentication,
    private readonly policy: ConnectorPolicy,
  ) {
    super();
  }

  private guard(factory: ConnectorFactory): ConnectorFactory;
  private guard(factory: ConnectorFactory | undefined): ConnectorFactory | undefined;
  private guard(factory: ConnectorFactory | undefined): ConnectorFactory | undefined {
    return factory && new AllowListedConnectorFactory(factory, this.policy);
  }

  async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await this.inner.authenticateRequest(activity, authHeader);
    return { ...result, connectorFactory: this.guard(result.connectorFactory) };
  }

  async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    const result = await this.inner.authenticateStreamingRequest(authHeader, channelIdHeader);
    return { ...result, connectorFactory: this.guard(result.connectorFactory) };
  }

  createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.guard(this.inner.createConnectorFactory(claimsIdentity));
  }

  createUserTokenClient(claimsIdentity: ClaimsIdentity) {
    return this.inner.createUserTokenClient(claimsIdentity);
  }

  createBotFrameworkClient() {
    return this.inner.createBotFrameworkClient();
  }

  getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }
}

/**
 * The Bot Framework adapter of Norrbus: teams-ai's TeamsAdapter, with outgoing calls held to the
 * service-URL allow-list, and an entry point that reports how an activity went instead of writing
 * error messages into the HTTP response (as CloudAdapter.process does).
 */
export class NorrbusAdapter extends TeamsAdapter {
  /** Where this adapter may send (the configuration's `serviceHosts`). */
  readonly serviceHosts: ServiceHosts;
  /** How long one HTTP call to Teams may take (the configuration's `connector.timeoutMs`). */
  readonly connectorTimeoutMs: number;

  constructor(settings: Record<string, string>, serviceHosts: ServiceHosts, connector: { timeoutMs: number } = { timeoutMs: DEFAULT_CONNECTOR_TIMEOUT_MS }) {
    const credentials = new ConfigurationServiceClientCredentialFactory(settings);
    // noRetryPolicy is ignored by the client botbuilder builds (its pipeline retries 429s and
    // network errors on its own); the factory below removes those retries from every client.
    super(settings, credentials, undefined, { noRetryPolicy: true });
    this.serviceHosts = serviceHosts;
    this.connectorTimeoutMs = connector.timeoutMs;
    const self = this as unknown as { botFrameworkAuthentication: BotFrameworkAuthentication };
    self.botFrameworkAuthentication = new AllowListedAuthentication(self.botFrameworkAuthentication, { hosts: serviceHosts, timeoutMs: connector.timeoutMs });
  }

  /**
   * Authenticates the activity (a Bearer token from the Bot Framework, unless the bot runs without
   * an app id) and runs the turn. Never throws.
   */
  async handleActivity(authHeader: string, activity: Activity, logic: Logic): Promise<ActivityOutcome> {
    let authenticated: AuthenticateRequestResult;
    try {
      authenticated = await this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
    } catch (error) {
      // AuthenticationError, and jsonwebtoken's own errors (bad signature, not yet valid), which
      // botbuilder lets through as they are: all mean the token proves nothing.
      return { kind: 'unauthorized', error };
    }
    let turnFailed = false;
    try {
      fixTimestamps(activity);
      const invokeResponse = await this.processActivity(authenticated, activity, async (context) => {
        try {
          await logic(context);
        } catch (error) {
          turnFailed = true;
          throw error;
        }
      });
      return { kind: 'done', invokeResponse, turnFailed };
    } catch (error) {
      return { kind: 'failed', error };
    }
  }
}

/** What botbuilder's validateAndFixActivity does for CloudAdapter.process: timestamps become Dates. */
function fixTimestamps(activity: Activity): void {
  const raw = activity as unknown as Record<string, unknown>;
  for (const [field, rawField] of [
    ['timestamp', 'rawTimestamp'],
    ['localTimestamp', 'rawLocalTimestamp'],
    ['expiration', 'rawExpiration'],
  ] as const) {
    if (typeof raw[field] === 'string') {
      raw[rawField] = raw[field];
      raw[field] = new Date(raw[field] as string);
    }
  }
}

/**
 * The Bot Framework adapter. Without an app id (local, Agents Playground) it accepts and sends
 * unauthenticated requests; with one it validates tokens from Microsoft and authenticates its calls.
 */
export function createAdapter(config: Config): NorrbusAdapter {
  const auth = config.bot.auth;
  const settings: Record<string, string> = {
    MicrosoftAppId: auth?.appId ?? '',
    MicrosoftAppPassword: auth?.password ?? '',
    MicrosoftAppTenantId: auth?.tenantId ?? '',
    MicrosoftAppType: auth?.type ?? 'MultiTenant',
  };
  if (auth?.openIdMetadataUrl || auth?.tokenIssuer) {
    // Setting any of these makes botbuilder take every endpoint from the settings
    // (BotFrameworkAuthenticationFactory.create), so the rest are the public cloud's defaults.
    Object.assign(settings, {
      ToBotFromChannelOpenIdMetadataUrl: auth.openIdMetadataUrl ?? AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
      ToBotFromChannelTokenIssuer: auth.tokenIssuer ?? AuthenticationConstants.ToBotFromChannelTokenIssuer,
      ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
      ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
      ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
      OAuthUrl: AuthenticationConstants.OAuthUrl,
      CallerId: CallerIdConstants.PublicAzureChannel,
      ValidateAuthority: 'true',
    });
  }
  return new NorrbusAdapter(settings, config.serviceHosts, config.connector);
}
