import type { AddressInfo } from 'node:net';
import { ActivityTypes, CloudAdapter, ConfigurationBotFrameworkAuthentication, MessageFactory, type TurnContext } from 'botbuilder';
import * as restify from 'restify';

/**
 * The floor of this stack, for `npm run bench`: a bare botbuilder CloudAdapter echo bot on restify,
 * without authentication (no app id, as the Norrbus bot in local mode). A message is echoed back
 * through the connector (one post, as the help card is); an invoke is answered with a small
 * Adaptive Card in the invoke response (as a card action is). No storage, no routing.
 *
 * Run as `node dist/scripts/lib/bench/echoBot.js` with ECHO_PORT (0: any free port); it prints
 * `listening <port>` once it takes requests.
 */
const card = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.5',
  body: [{ type: 'TextBlock', text: 'Echo', weight: 'Bolder' }],
};

async function echo(context: TurnContext): Promise<void> {
  if (context.activity.type === ActivityTypes.Invoke) {
    await context.sendActivity({
      type: ActivityTypes.InvokeResponse,
      value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card } },
    });
    return;
  }
  if (context.activity.type === ActivityTypes.Message) await context.sendActivity(MessageFactory.text(`echo: ${String(context.activity.text ?? '').slice(0, 100)}`));
}

function main(): void {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  adapter.onTurnError = async (_context, error) => {
    console.error(`echo bot turn failed: ${error.message}`);
  };
  const server = restify.createServer({ name: 'echo' });
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, echo);
  });
  server.get('/healthz', (_req, res, next) => {
    res.json(200, { status: 'ok' });
    next();
  });
  server.listen(Number(process.env.ECHO_PORT ?? 0), '127.0.0.1', () => {
    console.log(`listening ${(server.address() as AddressInfo).port}`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main();
