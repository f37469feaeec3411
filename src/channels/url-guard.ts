import dns from 'node:dns';
import net from 'node:net';

/**
 * SSRF guard for user-supplied URLs. Only http(s); link-local addresses (169.254.0.0/16 and fe80::/10, where
 * cloud metadata lives) are refused everywhere; loopback, private, unique-local, CGNAT and unspecified ones
 * unless `allowPrivate` (the embedded defaults and tests). Checked at save time and again at connect time
 * (guardedLookup), since DNS can change between the two.
 */
const LINK_LOCAL = new net.BlockList();
LINK_LOCAL.addSubnet('169.254.0.0', 16, 'ipv4');
LINK_LOCAL.addSubnet('fe80::', 10, 'ipv6');

const PRIVATE = new net.BlockList();
for (const [address, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['192.0.0.0', 24],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(address, prefix, 'ipv4');
}
PRIVATE.addAddress('::', 'ipv6');
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');
PRIVATE.addSubnet('ff00::', 8, 'ipv6');

export class UnsafeUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeUrlError';
  }
}

/** Why this address may not be reached, or null when it may. IPv4-mapped IPv6 is judged as IPv4. */
export function addressProblem(address: string, allowPrivate: boolean): string | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const ip = mapped ? mapped[1] : address;
  const family = net.isIP(ip) === 6 ? 'ipv6' : 'ipv4';
  if (LINK_LOCAL.check(ip, family)) return `${address} is a link-local address`;
  if (!allowPrivate && PRIVATE.check(ip, family)) return `${address} is a private or loopback address`;
  return null;
}

/** Parses and checks the URL's scheme and, for an IP literal, its address; throws UnsafeUrlError. */
export function checkUrlShape(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrlError('must be an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UnsafeUrlError('must be http or https');
  if (url.username || url.password) throw new UnsafeUrlError('must not carry credentials');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host)) {
    const problem = addressProblem(host, allowPrivate);
    if (problem) throw new UnsafeUrlError(`must not point to ${problem}`);
  } else if (!allowPrivate && (host === 'localhost' || host.endsWith('.localhost'))) {
    throw new UnsafeUrlError('must not point to localhost');
  }
  return url;
}

/** checkUrlShape, then every address the host resolves to, if it resolves (save time). */
export async function checkUrl(raw: string, allowPrivate: boolean): Promise<URL> {
  const url = checkUrlShape(raw, allowPrivate);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host)) return url;
  let addresses: dns.LookupAddress[];
  try {
    addresses = await dns.promises.lookup(host, { all: true });
  } catch {
    // Not resolvable now (offline, or not yet published): nothing to judge; the send-time lookup judges it.
    return url;
  }
  for (const { address } of addresses) {
    const problem = addressProblem(address, allowPrivate);
    if (problem) throw new UnsafeUrlError(`must not point to ${problem}`);
  }
  return url;
}

/** A `lookup` for http.request that refuses to connect to a forbidden address (send time). */
export function guardedLookup(allowPrivate: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as unknown as dns.LookupAddress[];
      for (const { address } of list) {
        const problem = addressProblem(address, allowPrivate);
        if (problem) return callback(new UnsafeUrlError(`refused to connect: ${problem}`), '', 0);
      }
      if ((options as { all?: boolean }).all) {
        (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      } else {
        callback(null, list[0].address, list[0].family);
      }
    });
  };
}
