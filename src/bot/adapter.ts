import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { Config } from '../config/config';

/**
 * The Bot Framework adapter. Without an app id (local, Agents Playground) it accepts and sends
 * unauthenticated requests; with one it validates tokens from Microsoft and authenticates its calls.
 */
export function createAdapter(config: Config): TeamsAdapter {
  const auth = config.bot.auth;
  const settings = {
    MicrosoftAppId: auth?.appId ?? '',
    MicrosoftAppPassword: auth?.password ?? '',
    MicrosoftAppTenantId: auth?.tenantId ?? '',
    MicrosoftAppType: auth?.type ?? 'MultiTenant',
  };
  // The connector client's own retries wait 30 s between tries of a refused connection; retries are
  // ours instead (src/teams/connector.ts and the outbox), short and bounded.
  return new TeamsAdapter(settings, new ConfigurationServiceClientCredentialFactory(settings), undefined, { noRetryPolicy: true });
}
