import type { Config } from '../config/config';
import type { Logger } from '../log';
import type { Store } from '../store/store';

/** What the handlers need from the outside world; tests pass their own clock. */
export interface BotDeps {
  config: Config;
  store: Store;
  log: Logger;
  clock: () => Date;
}
