import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

const names = new WeakMap<Socket, string | undefined>();

/**
 * The module a bus connection's client certificate names, once the TLS session has verified it
 * against the bus CA: its CN, which must also be one of its DNS names (the bus CA issues both
 * alike). Undefined for anything else. Read once per connection.
 */
export function busPeerModule(socket: Socket): string | undefined {
  if (names.has(socket)) return names.get(socket);
  const name = socket instanceof TLSSocket && socket.authorized ? certifiedName(socket) : undefined;
  names.set(socket, name);
  return name;
}

function certifiedName(socket: TLSSocket): string | undefined {
  const certificate = socket.getPeerCertificate();
  const cn: unknown = certificate?.subject?.CN;
  if (typeof cn !== 'string') return undefined;
  const dnsNames = (certificate.subjectaltname ?? '')
    .split(', ')
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice(4));
  return dnsNames.length === 0 || dnsNames.includes(cn) ? cn : undefined;
}
