import type { IncomingMessage } from 'node:http';
import proxyAddr, { compile } from '@fastify/proxy-addr';

/**
 * The key a client address is counted under: an IPv4 address that reached an IPv6 socket
 * (`::ffff:203.0.113.5`) is the same client as `203.0.113.5`.
 */
export function addressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1] : address.toLowerCase();
}

/**
 * The client address of a raw Node request with the same rule as Fastify's `request.ip` under
 * the `trustProxy` option: X-Forwarded-For counts only from a trusted hop, read from the right.
 * For the listeners that are not Fastify (the classic API).
 */
export function clientAddressOf(trustProxy: readonly string[]): (req: IncomingMessage) => string {
  const trust = compile([...trustProxy]);
  return (req) => addressKey(proxyAddr(req, trust));
}
