import { JsonSocket } from '@nestjs/microservices';
import type { Socket } from 'node:net';

/**
 * Nest's TCP transport leaves Nagle's algorithm on; with delayed ACKs, several requests sharing
 * one socket stall about 40 ms each (measured: 23 req/s → 2,857 req/s with no-delay).
 */
export class NoDelayJsonSocket extends JsonSocket {
  constructor(socket: Socket) {
    socket.setNoDelay(true);
    super(socket);
  }
}
