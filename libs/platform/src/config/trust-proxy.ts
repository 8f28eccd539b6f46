import { isIP } from 'node:net';
import { compile } from '@fastify/proxy-addr';

/**
 * TRUST_PROXY: the addresses (or CIDR ranges) of the proxies in front of the store, e.g. the
 * gateway. Only a request that comes from one of them has its client address taken from
 * X-Forwarded-For; from anyone else the header is ignored, so a client cannot choose its own
 * address. Unset: no proxy is trusted, the socket's address is the client.
 */
export function parseTrustProxy(text: string | undefined): string[] {
  const entries = (text ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address);
    const bits = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (family === 0 || !prefixOk || extra !== undefined)
      throw new Error(
        `"${entry}" is not an IP address or CIDR range (e.g. 172.28.0.10 or 10.0.0.0/8)`,
      );
  }
  compile(entries); // the same parser Fastify uses: whatever passes here, it accepts too
  return entries;
}
