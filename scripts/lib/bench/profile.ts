import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** What a `node --cpu-prof` profile spent its samples on: self time by package (or source file) and by function. */
export interface ProfileSummary {
  totalMs: number;
  byOwner: { owner: string; ms: number; share: number }[];
  byFunction: { name: string; owner: string; ms: number; share: number }[];
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
  startTime: number;
  endTime: number;
  samples: number[];
  /** Microseconds from the previous sample (the first: from startTime). */
  timeDeltas: number[];
}

/** Who a script URL belongs to: an npm package, a file of the bot (dist/src/…), Node's own code, or the engine. */
export function ownerOf(url: string): string {
  if (!url) return '(engine: gc, native, idle)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const src = url.indexOf('/dist/src/');
  if (src >= 0) return `src/${url.slice(src + '/dist/src/'.length).replace(/\.js$/, '.ts')}`;
  if (url.startsWith('node:')) return url;
  return path.basename(url);
}

/** The samples taken from `skipMs` after the profile began (start-up and warm-up left out), summarised. */
export function summariseProfile(file: string, skipMs = 0, top = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const hits = new Map<number, number>();
  let at = 0;
  let counted = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at < skipMs * 1000) return;
    hits.set(id, (hits.get(id) ?? 0) + 1);
    counted++;
  });
  const perSample = (profile.endTime - profile.startTime - skipMs * 1000) / 1000 / Math.max(1, counted);
  const owners = new Map<string, number>();
  const functions = new Map<string, { name: string; owner: string; ms: number }>();
  for (const node of profile.nodes) {
    const ms = (hits.get(node.id) ?? 0) * perSample;
    if (ms === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    const owner = ownerOf(url);
    owners.set(owner, (owners.get(owner) ?? 0) + ms);
    const key = `${owner}|${functionName}|${url}:${lineNumber}`;
    const entry = functions.get(key) ?? { name: functionName || '(anonymous)', owner, ms: 0 };
    entry.ms += ms;
    functions.set(key, entry);
  }
  const busy = [...owners.values()].reduce((a, b) => a + b, 0);
  return {
    totalMs: busy,
    byOwner: [...owners.entries()].map(([owner, ms]) => ({ owner, ms, share: ms / busy })).sort((a, b) => b.ms - a.ms).slice(0, top),
    byFunction: [...functions.values()].map((f) => ({ ...f, share: f.ms / busy })).sort((a, b) => b.ms - a.ms).slice(0, top),
  };
}

/** The newest `.cpuprofile` in a folder. */
export function newestProfile(dir: string): string | undefined {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
  return files.length ? path.join(dir, files[files.length - 1]) : undefined;
}
