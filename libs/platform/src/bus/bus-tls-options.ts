import type { ConnectionOptions, TlsOptions } from 'node:tls';
import { ModuleName } from '../topology/module-names';
import { BusCredentials } from './bus-credentials';

const MIN_VERSION = 'TLSv1.3';

/**
 * A module's listener: it shows its own certificate and serves only peers that show a certificate
 * of the bus CA. A connection without one is closed during the handshake, before any frame is
 * read; a peer that stalls the handshake is cut off after `handshakeTimeoutMs`.
 */
export function busServerTlsOptions(
  credentials: BusCredentials,
  module: ModuleName,
  handshakeTimeoutMs: number,
): TlsOptions {
  const { cert, key } = credentials.identity(module);
  return {
    cert,
    key,
    ca: credentials.ca,
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: MIN_VERSION,
    handshakeTimeout: handshakeTimeoutMs,
  };
}

/**
 * A call to `peer`: this process shows `self`'s certificate and accepts only a peer whose
 * certificate is issued by the bus CA to `peer` (checked against the name, not the address, so
 * `<MODULE>_HOST` may be any address or host name).
 */
export function busClientTlsOptions(
  credentials: BusCredentials,
  self: ModuleName,
  peer: ModuleName,
): ConnectionOptions {
  const { cert, key } = credentials.identity(self);
  return {
    cert,
    key,
    ca: credentials.ca,
    servername: peer,
    rejectUnauthorized: true,
    minVersion: MIN_VERSION,
  };
}
