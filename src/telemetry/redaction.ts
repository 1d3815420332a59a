/**
 * What may leave the bot in telemetry. Nothing a person typed, no case reference and no name may
 * reach Application Insights, so spans are reduced to an allow-list of attributes before they are
 * exported, and every URL is cut down to its shape: no query string (table filters name keys), no
 * table entity keys (`Meetings(PartitionKey='…',RowKey='…')`), and any path segment that is not a
 * plain word (a conversation, activity or user id; a case reference) becomes `:id`.
 */

/** Attributes kept on a span (after URL attributes are cut down); every other attribute is dropped. */
const KEPT = new Set([
  // HTTP, old and new semantic conventions
  'http.method',
  'http.request.method',
  'http.status_code',
  'http.response.status_code',
  'http.scheme',
  'url.scheme',
  'http.flavor',
  'network.protocol.version',
  'net.transport',
  'net.host.name',
  'net.host.port',
  'net.peer.name',
  'net.peer.port',
  'server.address',
  'server.port',
  'error.type',
  // Azure SDK (storage)
  'az.namespace',
  'az.client_request_id',
  'az.service_request_id',
  'kind',
]);

/** Attributes holding a URL or a path: kept only in the cut-down form. */
const URL_ATTRIBUTES = new Set(['http.url', 'url.full', 'http.target', 'url.path']);

/** A path segment kept as it is: letters, optionally followed by digits (`api`, `v3`, `NorrbusMeetings`). */
const PLAIN_SEGMENT = /^[A-Za-z]+[0-9]*$/;

/** A path reduced to its shape: entity keys and ids replaced, nothing after `?` or `#`. */
export function redactPath(path: string): string {
  const bare = path.split(/[?#]/)[0];
  return bare
    .split('/')
    .map((segment) => {
      if (segment === '') return segment;
      // A table entity or a table query: the keys inside the parentheses go.
      const table = /^([A-Za-z][A-Za-z0-9]*)\(.*\)$/.exec(decodeSafely(segment));
      if (table) return `${table[1]}()`;
      return PLAIN_SEGMENT.test(segment) ? segment : ':id';
    })
    .join('/');
}

/** A URL reduced to scheme, host, port and the path's shape (see redactPath). */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    return `${url.protocol}//${url.host}${redactPath(url.pathname)}`;
  } catch {
    return value.startsWith('/') ? redactPath(value) : ':redacted';
  }
}

function decodeSafely(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

type Attributes = Record<string, unknown>;

/** The attributes that may be exported, URLs cut down. */
export function redactAttributes(attributes: Attributes): Attributes {
  const kept: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (URL_ATTRIBUTES.has(key) && typeof value === 'string') kept[key] = key === 'http.target' || key === 'url.path' ? redactPath(value) : redactUrl(value);
    else if (KEPT.has(key)) kept[key] = value;
  }
  return kept;
}

/** A span's name, which for HTTP spans may carry a path. */
export function redactName(name: string): string {
  return name.replace(/\S*\/\S*/g, (token) => (/^[a-z]+:\/\//i.test(token) ? redactUrl(token) : redactPath(token)));
}

/** The parts of a finished span this processor rewrites (the SDK's ReadableSpan, seen as mutable). */
interface MutableSpan {
  name: string;
  /** SpanKind: 1 is SERVER (an incoming request). */
  kind: number;
  attributes: Attributes;
  events: { name: string; attributes?: Attributes }[];
  status: { code: number; message?: string };
}

/**
 * A span processor placed before the exporting one: when a span ends, its name, attributes, events
 * and status message are rewritten in place, so what the exporter (Application Insights, or a
 * test's in-memory exporter) receives is only the redacted span. Events keep their name and the
 * exception's type; an exception's message and stack, and a status message, are dropped (the log
 * has the error, without free text).
 */
export class RedactingSpanProcessor {
  onStart(): void {}

  onEnd(span: unknown): void {
    const s = span as MutableSpan;
    replaceContents(s.attributes, redactAttributes(s.attributes));
    s.name = redactName(s.name);
    // An incoming request is named by its method only; Application Insights groups requests by
    // name, so the (cut-down) path is added: "POST /api/messages".
    const path = s.attributes['url.path'] ?? s.attributes['http.target'];
    if (s.kind === 1 && /^[A-Z]+$/.test(s.name) && typeof path === 'string') s.name = `${s.name} ${path}`;
    for (const event of s.events ?? []) {
      if (!event.attributes) continue;
      const type = event.attributes['exception.type'];
      replaceContents(event.attributes, typeof type === 'string' ? { 'exception.type': type } : {});
    }
    if (s.status && s.status.message !== undefined) s.status = { code: s.status.code };
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Replaces an object's own properties (the span's attributes object is shared with the exporter). */
function replaceContents(target: Attributes, contents: Attributes): void {
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, contents);
}
