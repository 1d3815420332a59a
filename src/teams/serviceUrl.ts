import { isLoopbackHost, type Config } from '../config/config';

/** Where the bot may send: see `Config.serviceHosts`. */
export type ServiceHosts = Config['serviceHosts'];

/**
 * Whether the bot may talk to a Teams service at this URL. Without authentication (local mode)
 * only loopback (the Agents Playground), over http or https; with authentication only https, on the
 * default port, to a configured host or one of its subdomains. Anything that does not parse, or
 * that carries credentials in the URL, is refused.
 */
export function isAllowedServiceUrl(url: unknown, hosts: ServiceHosts): boolean {
  if (typeof url !== 'string' || url.length === 0 || url.length > 2048) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username !== '' || parsed.password !== '') return false;
  // WHATWG URL normalises the host (case, IPv4 shorthands such as 127.1 or 0x7f000001, IPv6 brackets).
  const host = parsed.hostname.toLowerCase();
  if (hosts.loopbackOnly) {
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && isLoopbackHost(host);
  }
  if (parsed.protocol !== 'https:' || parsed.port !== '') return false;
  return hosts.hosts.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
}

/**
 * An outgoing call to a service URL outside the allow-list: refused before anything is sent, and
 * for good (trying again cannot help), so the outbox marks the send failed instead of retrying.
 */
export class ServiceUrlRefusedError extends Error {
  constructor(url: unknown) {
    super(`service URL not allowed: ${describe(url)}`);
    this.name = 'ServiceUrlRefusedError';
  }
}

/** Throws a ServiceUrlRefusedError unless the URL is allowed. */
export function assertAllowedServiceUrl(url: unknown, hosts: ServiceHosts): void {
  if (!isAllowedServiceUrl(url, hosts)) throw new ServiceUrlRefusedError(url);
}

/** Scheme and host only, for logs (a path or query could carry anything). */
function describe(url: unknown): string {
  if (typeof url !== 'string') return typeof url;
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`.slice(0, 200);
  } catch {
    return 'unparseable';
  }
}
