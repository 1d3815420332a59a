import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { projectRoot } from '../projectRoot';

/** An Adaptive Card as JSON, ready to attach to a message or return from an invoke. */
export type AdaptiveCardJson = { type: 'AdaptiveCard'; version: string; body: unknown[]; [key: string]: unknown };

const templates = new Map<string, ACData.Template>();

function template(name: string): ACData.Template {
  let found = templates.get(name);
  if (!found) {
    const file = path.join(projectRoot(), 'cards', `${name}.json`);
    found = new ACData.Template(JSON.parse(readFileSync(file, 'utf8')));
    templates.set(name, found);
  }
  return found;
}

/** Renders `cards/<name>.json` with its data model. */
export function renderCard<TData extends object>(name: string, data: TData): AdaptiveCardJson {
  return template(name).expand({ $root: data }) as AdaptiveCardJson;
}
