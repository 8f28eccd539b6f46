import type { IncomingMessage } from 'node:http';
import { addressKey, clientAddressOf } from './client-address';

const request = (remoteAddress: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress },
    connection: { remoteAddress },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage;

describe('client address (the classic listeners)', () => {
  it('is the socket address when no proxy is trusted, whatever X-Forwarded-For says', () => {
    const of = clientAddressOf([]);
    expect(of(request('203.0.113.7', '198.51.100.1'))).toBe('203.0.113.7');
  });

  it('is the last untrusted address of the chain when the hop is a trusted proxy', () => {
    const of = clientAddressOf(['172.28.0.10']);
    expect(of(request('172.28.0.10', '10.9.9.9, 198.51.100.1'))).toBe('198.51.100.1');
    // From anyone else the header is ignored.
    expect(of(request('172.28.0.11', '198.51.100.1'))).toBe('172.28.0.11');
  });

  it('trusts CIDR ranges, and an IPv4 client on an IPv6 socket counts as its IPv4 address', () => {
    const of = clientAddressOf(['10.0.0.0/8']);
    expect(of(request('::ffff:10.1.2.3', '::ffff:198.51.100.9'))).toBe('198.51.100.9');
    expect(addressKey('::FFFF:203.0.113.5')).toBe('203.0.113.5');
    expect(addressKey('2001:DB8::1')).toBe('2001:db8::1');
  });
});
