import type { Config } from '../config/config';
import type { Logger } from '../log';
import type { Store } from '../store/store';
import type { Connector } from '../teams/connector';

/** What the handlers need from the outside world; tests pass their own clock. */
export interface BotDeps {
  config: Config;
  store: Store;
  log: Logger;
  clock: () => Date;
  /** Posts and updates messages on the bot's own initiative (deviation reports to the forum). */
  connector: Connector;
}
