import 'reflect-metadata';
import { createServer } from 'node:net';
import {
  ConflictException,
  Controller,
  ForbiddenException,
  Get,
  Inject,
  Module,
  NotFoundException,
  Param,
  UnauthorizedException,
  UnprocessableEntityException,
  HttpException,
} from '@nestjs/common';
import { APP_FILTER, APP_PIPE, NestFactory } from '@nestjs/core';
import {
  ClientProxy,
  ClientTCP,
  Ctx,
  MicroserviceOptions,
  Payload,
  TcpContext,
  Transport,
} from '@nestjs/microservices';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsIn, IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { RequestContext } from '../context/request-context';
import { Metrics } from '../metrics/metrics';
import { ShutdownState } from '../shutdown/shutdown-state';
import { AllExceptionsFilter } from '../filters/all-exceptions.filter';
import { ErrorBody, httpExceptionToBody } from '../errors/error-body';
import { PlatformErrors, declareError } from '../errors/error-codes';
import { createValidationPipe } from '../validation/validation.pipe';
import { RpcEnvelope } from './envelope';
import { CallerPolicy } from '../bus/caller-policy';
import { InProcessBus, InProcessClient, InProcessServer } from './in-process.transport';
import { NoDelayJsonSocket } from './no-delay-json-socket';
import { RpcClient } from './rpc-client';
import { RpcHandler } from './rpc-handler.decorator';
import { RpcPayload } from './rpc-payload.decorator';

/**
 * A tiny Nest application wired like a real process (the platform's filter, validation pipe and
 * context interceptor as APP_* providers; an InProcessServer and a TCP listener with
 * NoDelayJsonSocket), with handlers that fail in every way a module can. The same RpcClient
 * calls are made over both transports and must fail (or succeed) identically.
 */

const LEAKY = 'SQLITE_CONSTRAINT: UNIQUE failed: users.email (/srv/data/users.sqlite)';

interface Case {
  make: () => Error;
  body: ErrorBody;
}

const CASES: Record<string, Case> = {
  app_401: {
    make: () =>
      declareError(401, 'INVALID_TOKEN', 'The access token is not valid: expired').error(),
    body: {
      statusCode: 401,
      error: 'Unauthorized',
      code: 'INVALID_TOKEN',
      message: 'The access token is not valid: expired',
    },
  },
  app_403: {
    make: () => PlatformErrors.FORBIDDEN.error({ roles: ['employee'] }),
    body: {
      statusCode: 403,
      error: 'Forbidden',
      code: 'FORBIDDEN',
      message: 'This action requires the employee role',
    },
  },
  app_404: {
    make: () => declareError(404, 'PRODUCT_NOT_FOUND', 'No product 42').error({ productId: 42 }),
    body: {
      statusCode: 404,
      error: 'Not Found',
      code: 'PRODUCT_NOT_FOUND',
      message: 'No product 42',
      details: { productId: 42 },
    },
  },
  app_409: {
    make: () =>
      declareError(409, 'USERNAME_TAKEN', 'That username is taken').error({ field: 'username' }),
    body: {
      statusCode: 409,
      error: 'Conflict',
      code: 'USERNAME_TAKEN',
      message: 'That username is taken',
      details: { field: 'username' },
    },
  },
  app_422: {
    make: () =>
      declareError(422, 'OUT_OF_STOCK', 'Only 2 left').error({
        available: 2,
        requested: 5,
        lines: [{ sku: 'APL-1' }],
      }),
    body: {
      statusCode: 422,
      error: 'Unprocessable Entity',
      code: 'OUT_OF_STOCK',
      message: 'Only 2 left',
      details: { available: 2, requested: 5, lines: [{ sku: 'APL-1' }] },
    },
  },
  nest_401: {
    make: () => new UnauthorizedException(),
    body: {
      statusCode: 401,
      error: 'Unauthorized',
      code: 'UNAUTHENTICATED',
      message: 'Unauthorized',
    },
  },
  nest_403: {
    make: () => new ForbiddenException('Employees only'),
    body: { statusCode: 403, error: 'Forbidden', code: 'FORBIDDEN', message: 'Employees only' },
  },
  nest_404: {
    make: () => new NotFoundException('No such widget'),
    body: { statusCode: 404, error: 'Not Found', code: 'NOT_FOUND', message: 'No such widget' },
  },
  nest_409: {
    make: () => new ConflictException('Already there'),
    body: { statusCode: 409, error: 'Conflict', code: 'CONFLICT', message: 'Already there' },
  },
  nest_422: {
    make: () => new UnprocessableEntityException('Cannot do that'),
    body: {
      statusCode: 422,
      error: 'Unprocessable Entity',
      code: 'UNPROCESSABLE',
      message: 'Cannot do that',
    },
  },
  plain: {
    make: () => new Error(LEAKY),
    body: {
      statusCode: 500,
      error: 'Internal Server Error',
      code: 'INTERNAL',
      message: 'Internal server error',
    },
  },
};

class FailRequest {
  @IsIn(Object.keys(CASES))
  case!: string;
}

class OrderLine {
  @IsString()
  @MinLength(1)
  sku!: string;

  @IsInt()
  @Min(1)
  @Max(99)
  quantity!: number;
}

/** What the last `test.inspect` handler returned, kept by reference on the handler's side. */
let lastKept: { at: Date; list: number[] } | undefined;

/** Client ports of the TCP connections the peer has seen closed (`test.port` watches them). */
const closedPorts = new Set<number>();
const watched = new WeakSet<object>();

@Controller()
class TestHandlers {
  @RpcHandler('test.fail')
  fail(@RpcPayload() request: FailRequest): never {
    throw CASES[request.case].make();
  }

  @RpcHandler('test.order')
  order(@RpcPayload() line: OrderLine): { sku: string; quantity: number; isDto: boolean } {
    return { sku: line.sku, quantity: line.quantity, isDto: line instanceof OrderLine };
  }

  @RpcHandler('test.inspect')
  inspect(@RpcPayload() payload: Record<string, unknown>): unknown {
    const seen = { whenType: typeof payload.when, when: payload.when, hasFn: 'fn' in payload };
    (payload.items as string[]).push('added-by-handler');
    payload.name = 'changed-by-handler';
    (payload.nested as { deep: string }).deep = 'changed-by-handler';
    lastKept = { at: new Date('2026-01-02T03:04:05.000Z'), list: [1, 2] };
    return { seen, kept: lastKept };
  }

  @RpcHandler('test.whoami')
  whoami(@Payload('meta') meta: RpcEnvelope['meta']): {
    fromContext?: string;
    fromEnvelope?: string;
    caller?: string;
  } {
    return {
      fromContext: RequestContext.requestId(),
      fromEnvelope: meta.requestId,
      caller: meta.caller,
    };
  }

  @RpcHandler('test.never')
  never(): Promise<never> {
    return new Promise<never>(() => undefined);
  }

  @RpcHandler('test.ok')
  ok(): { ok: true } {
    return { ok: true };
  }

  @RpcHandler('test.slow')
  async slow(@RpcPayload() payload: Record<string, unknown>): Promise<{ slept: number }> {
    const ms = Number(payload.ms);
    await new Promise((resolve) => setTimeout(resolve, ms));
    return { slept: ms };
  }

  /** Over TCP: the client's port of the connection the call came on. */
  @RpcHandler('test.port')
  port(@Ctx() context: TcpContext): { port: number } {
    const socket = context.getSocketRef().netSocket;
    const port = socket.remotePort as number;
    if (!watched.has(socket)) {
      watched.add(socket);
      socket.once('close', () => closedPorts.add(port));
    }
    return { port };
  }
}

const TCP_CLIENT = 'TEST_TCP_CLIENT';
const IN_PROCESS_CLIENT = 'TEST_IN_PROCESS_CLIENT';

/** HTTP routes: one relays a failing call through a transport, the other fails locally. */
@Controller()
class RelayController {
  constructor(
    @Inject(TCP_CLIENT) private readonly tcp: RpcClient,
    @Inject(IN_PROCESS_CLIENT) private readonly inProcess: RpcClient,
  ) {}

  @Get('relay/:transport/:case')
  relay(@Param('transport') transport: string, @Param('case') name: string): Promise<unknown> {
    const client = transport === 'tcp' ? this.tcp : this.inProcess;
    return client.send('test.fail', { case: name });
  }

  @Get('direct/:case')
  direct(@Param('case') name: string): never {
    throw CASES[name].make();
  }
}

const TIMEOUT_MS = 2000;

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function testModule(tcpPort: number, bus: InProcessBus): new () => unknown {
  @Module({
    controllers: [TestHandlers, RelayController],
    providers: [
      { provide: APP_FILTER, useClass: AllExceptionsFilter },
      { provide: APP_PIPE, useFactory: createValidationPipe },
      { provide: Metrics, useValue: new Metrics('test') },
      { provide: ShutdownState, useValue: new ShutdownState() },
      { provide: TCP_CLIENT, useFactory: () => tcpClient(tcpPort, 'relay') },
      {
        provide: IN_PROCESS_CLIENT,
        useFactory: () =>
          new RpcClient('products', new InProcessClient(bus, 'orders'), TIMEOUT_MS, 'relay'),
      },
    ],
  })
  class TestModule {}
  return TestModule;
}

/** The handlers here are the test's own: any module may call them (unless a test says otherwise). */
const ANY_CALLER = new (class extends CallerPolicy {
  override allows(): boolean {
    return true;
  }
})({});

/** A TCP client as the platform makes one: it reconnects after a call times out. */
function tcpClient(port: number, caller = 'test', timeoutMs = TIMEOUT_MS): RpcClient {
  const connect = () =>
    new ClientTCP({
      host: '127.0.0.1',
      port,
      socketClass: NoDelayJsonSocket,
    }) as unknown as ClientProxy;
  return new RpcClient('products', connect(), timeoutMs, caller, { reconnect: connect });
}

/** A process-like app: HTTP on a free port, an in-process server and a TCP listener. */
async function startPeer(
  tcpPort: number,
  bus = new InProcessBus(),
  callers: CallerPolicy = ANY_CALLER,
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    testModule(tcpPort, bus),
    new FastifyAdapter(),
    { logger: false },
  );
  app.connectMicroservice<MicroserviceOptions>(
    { strategy: new InProcessServer(bus, callers) },
    { inheritAppConfig: true },
  );
  app.connectMicroservice<MicroserviceOptions>(
    {
      transport: Transport.TCP,
      options: { host: '127.0.0.1', port: tcpPort, socketClass: NoDelayJsonSocket },
    },
    { inheritAppConfig: true },
  );
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  return app;
}

/**
 * Lets the event loop turn, as it does between two requests: a refused socket reports "close"
 * (which drops the client's cached connection attempt) in a later phase of the loop than its error.
 */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 20));

async function rejection(promise: Promise<unknown>): Promise<HttpException> {
  try {
    await promise;
  } catch (error) {
    return error as HttpException;
  }
  throw new Error('the call succeeded');
}

describe('RPC over TCP and in-process: same results, same errors', () => {
  let app: NestFastifyApplication;
  let bus: InProcessBus;
  let clients: Record<'tcp' | 'in-process', RpcClient>;

  beforeAll(async () => {
    const port = await freePort();
    bus = new InProcessBus();
    app = await startPeer(port, bus);
    clients = {
      tcp: tcpClient(port),
      'in-process': new RpcClient(
        'products',
        new InProcessClient(bus, 'orders'),
        TIMEOUT_MS,
        'test',
      ),
    };
  });

  afterAll(async () => {
    clients?.tcp.close();
    clients?.['in-process'].close();
    await app?.close();
  });

  const inject = async (path: string) => {
    const res = await fetch(`${await app.getUrl()}${path}`);
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text) as unknown, text };
  };

  describe.each(['tcp', 'in-process'] as const)('over %s', (transport) => {
    const client = () => clients[transport];

    it.each(Object.keys(CASES))(
      '%s: the caller gets an HttpException with the status and body the handler raised',
      async (name) => {
        const { body } = CASES[name];
        const error = await rejection(client().send('test.fail', { case: name }));
        expect(error).toBeInstanceOf(HttpException);
        expect(error.getStatus()).toBe(body.statusCode);
        expect(httpExceptionToBody(error)).toEqual(body);
        expect(JSON.stringify(httpExceptionToBody(error))).not.toContain('SQLITE');
      },
    );

    it.each(Object.keys(CASES))(
      '%s: the HTTP caller of a relaying route gets what a local throw would give',
      async (name) => {
        const direct = await inject(`/direct/${name}`);
        const relayed = await inject(`/relay/${transport}/${name}`);
        expect(direct).toEqual({
          status: CASES[name].body.statusCode,
          body: CASES[name].body,
          text: expect.any(String),
        });
        expect(relayed.status).toBe(direct.status);
        expect(relayed.body).toEqual(direct.body);
        expect(relayed.text).not.toContain('SQLITE');
        expect(relayed.text).not.toContain('/srv/data');
      },
    );

    it('validates the payload against the DTO and returns a DTO instance to the handler', async () => {
      await expect(client().send('test.order', { sku: 'APL-1', quantity: 3 })).resolves.toEqual({
        sku: 'APL-1',
        quantity: 3,
        isDto: true,
      });
    });

    it('answers 400 VALIDATION_FAILED naming every invalid field', async () => {
      const error = await rejection(client().send('test.order', { sku: '', quantity: 0 }));
      expect(error.getStatus()).toBe(400);
      const body = httpExceptionToBody(error);
      expect(body).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
        code: 'VALIDATION_FAILED',
      });
      const fields = (body.details as { fields: Array<{ field: string }> }).fields
        .map((f) => f.field)
        .sort();
      expect(fields).toEqual(['quantity', 'sku']);
      expect(body.message).toContain('sku');
      expect(body.message).toContain('quantity');
    });

    it('rejects a field the DTO does not declare (whitelist + forbid unknown)', async () => {
      const error = await rejection(
        client().send('test.order', { sku: 'APL-1', quantity: 1, priceCents: 1 }),
      );
      expect(error.getStatus()).toBe(400);
      const body = httpExceptionToBody(error);
      expect(body.code).toBe('VALIDATION_FAILED');
      expect(
        (body.details as { fields: Array<{ field: string }> }).fields.map((f) => f.field),
      ).toEqual(['priceCents']);
    });

    it('rejects a missing payload with 400, not 500', async () => {
      const error = await rejection(client().send('test.order', undefined));
      expect(error.getStatus()).toBe(400);
      expect(httpExceptionToBody(error).code).toBe('VALIDATION_FAILED');
    });

    it('works on copies both ways: the handler cannot change the caller’s object, and a Date arrives as a string', async () => {
      const original = {
        name: 'original',
        items: ['a'],
        nested: { deep: 'original' },
        when: new Date('2026-05-06T07:08:09.000Z'),
        fn: () => 1,
      };
      const reply = await client().send<{
        seen: { whenType: string; when: unknown; hasFn: boolean };
        kept: { at: unknown; list: number[] };
      }>('test.inspect', original);

      expect(original.name).toBe('original');
      expect(original.items).toEqual(['a']);
      expect(original.nested).toEqual({ deep: 'original' });
      expect(original.when).toBeInstanceOf(Date);

      expect(reply.seen).toEqual({
        whenType: 'string',
        when: '2026-05-06T07:08:09.000Z',
        hasFn: false,
      });
      expect(reply.kept.at).toBe('2026-01-02T03:04:05.000Z');

      // Nor can the caller reach into what the handler returned.
      reply.kept.list.push(3);
      expect(lastKept?.list).toEqual([1, 2]);
      expect(lastKept?.at).toBeInstanceOf(Date);
    });

    it('carries the request id and the caller to the handler', async () => {
      const reply = await RequestContext.run({ requestId: `req-${transport}-42` }, () =>
        client().send('test.whoami', {}),
      );
      expect(reply).toEqual({
        fromContext: `req-${transport}-42`,
        fromEnvelope: `req-${transport}-42`,
        caller: 'test',
      });
    });

    it('gives the handler a fresh request id when the caller has none', async () => {
      const reply = await client().send<{ fromContext: string; fromEnvelope?: string }>(
        'test.whoami',
        {},
      );
      expect(reply.fromEnvelope).toBeUndefined();
      expect(reply.fromContext).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      );
    });

    it('answers 503 PEER_TIMEOUT when the handler never answers, after the timeout and not much later', async () => {
      const started = Date.now();
      const error = await rejection(client().send('test.never', {}, { timeoutMs: 300 }));
      const elapsed = Date.now() - started;
      expect(error.getStatus()).toBe(503);
      expect(httpExceptionToBody(error)).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        code: 'PEER_TIMEOUT',
        message: 'The products service did not answer within 300 ms',
        details: { peer: 'products' },
      });
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(300 + 2000); // a hang bound, not a performance target
      // The connection is still usable afterwards.
      await expect(client().send('test.ok', {})).resolves.toEqual({ ok: true });
    });

    it('does not retry a timed-out idempotent call past its deadline', async () => {
      const started = Date.now();
      const error = await rejection(
        client().send('test.never', {}, { timeoutMs: 300, idempotent: true }),
      );
      expect(httpExceptionToBody(error).code).toBe('PEER_TIMEOUT');
      expect(Date.now() - started).toBeLessThan(300 + 2000);
    });

    it('answers 503 PEER_INCOMPATIBLE (a version mismatch) for a pattern the peer does not know', async () => {
      const error = await rejection(
        client().send('test.no_such_pattern', {}, { idempotent: true }),
      );
      expect(error.getStatus()).toBe(503);
      expect(httpExceptionToBody(error)).toMatchObject({
        code: 'PEER_INCOMPATIBLE',
        details: { peer: 'products' },
      });
    });
  });
});

describe('a peer that is down', () => {
  it('in-process: 503 PEER_UNAVAILABLE while no server is attached to the bus', async () => {
    const client = new RpcClient(
      'products',
      new InProcessClient(new InProcessBus(), 'orders'),
      1000,
      'test',
    );
    const error = await rejection(client.send('test.ok', {}));
    expect(error.getStatus()).toBe(503);
    expect(httpExceptionToBody(error).code).toBe('PEER_UNAVAILABLE');
  });

  it('over TCP: 503 PEER_UNAVAILABLE well before the timeout, then the same client reconnects by itself', async () => {
    const port = await freePort();
    const client = tcpClient(port, 'test', 10_000);
    let peer: NestFastifyApplication | undefined;
    try {
      // Nothing listens yet: refused at once, not after the 10 s timeout.
      let started = Date.now();
      let error = await rejection(client.send('test.ok', {}));
      expect(error.getStatus()).toBe(503);
      expect(httpExceptionToBody(error)).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        code: 'PEER_UNAVAILABLE',
        message: 'The products service is unavailable',
        details: { peer: 'products' },
      });
      expect(Date.now() - started).toBeLessThan(2000);
      await settle();
      peer = await startPeer(port);
      await expect(client.send('test.ok', {})).resolves.toEqual({ ok: true });

      // The peer goes away: the next call fails fast again...
      await peer.close();
      peer = undefined;
      started = Date.now();
      error = await rejection(client.send('test.ok', {}));
      expect(httpExceptionToBody(error).code).toBe('PEER_UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(2000);
      await settle();

      // ...and once it is back, the same client gets through without being recreated.
      peer = await startPeer(port);
      await expect(client.send('test.ok', {})).resolves.toEqual({ ok: true });
    } finally {
      client.close();
      await peer?.close();
    }
  });
});

describe('over TCP, a call that times out', () => {
  it('retires its connection: a call still waiting on it gets its answer, the next call goes over a new one, and the old one is closed', async () => {
    const port = await freePort();
    const peer = await startPeer(port);
    const client = tcpClient(port);
    try {
      const first = await client.send<{ port: number }>('test.port', {});
      // Two calls share the connection: one slow but answering, one that never will.
      const slow = client.send('test.slow', { ms: 800 });
      const error = await rejection(client.send('test.never', {}, { timeoutMs: 200 }));
      expect(httpExceptionToBody(error).code).toBe('PEER_TIMEOUT');

      const next = await client.send<{ port: number }>('test.port', {});
      expect(next.port).not.toBe(first.port);
      await expect(slow).resolves.toEqual({ slept: 800 });
      await eventuallyTrue(() => closedPorts.has(first.port));
      expect(closedPorts.has(next.port)).toBe(false);
      await expect(client.send('test.port', {})).resolves.toEqual({ port: next.port });
    } finally {
      client.close();
      await peer.close();
    }
  });

  it('in-process, nothing is renewed: the next call works as before', async () => {
    const bus = new InProcessBus();
    const peer = await startPeer(await freePort(), bus);
    const client = new RpcClient(
      'products',
      new InProcessClient(bus, 'orders'),
      TIMEOUT_MS,
      'test',
    );
    try {
      const slow = client.send('test.slow', { ms: 400 });
      const error = await rejection(client.send('test.never', {}, { timeoutMs: 100 }));
      expect(httpExceptionToBody(error).code).toBe('PEER_TIMEOUT');
      await expect(slow).resolves.toEqual({ slept: 400 });
      await expect(client.send('test.ok', {})).resolves.toEqual({ ok: true });
    } finally {
      client.close();
      await peer.close();
    }
  });
});

async function eventuallyTrue(probe: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !probe(); i++) await settle();
  expect(probe()).toBe(true);
}

describe('in-process, who may call', () => {
  it('refuses a module the table does not name with 403 FORBIDDEN_CALLER, counted, and lets the named one through', async () => {
    const bus = new InProcessBus();
    const metrics = new Metrics('test');
    const peer = await startPeer(
      await freePort(),
      bus,
      new CallerPolicy({ 'test.ok': ['orders'] }, metrics),
    );
    const as = (module: 'orders' | 'search') =>
      new RpcClient('products', new InProcessClient(bus, module), TIMEOUT_MS, 'anything');
    try {
      await expect(as('orders').send('test.ok', {})).resolves.toEqual({ ok: true });
      const error = await rejection(as('search').send('test.ok', {}));
      expect(error.getStatus()).toBe(403);
      expect(httpExceptionToBody(error)).toEqual({
        statusCode: 403,
        error: 'Forbidden',
        code: 'FORBIDDEN_CALLER',
        message: 'The search module may not call test.ok',
        details: { caller: 'search', pattern: 'test.ok' },
      });
      // A pattern the table does not list is refused to every other module, whatever it is.
      expect(httpExceptionToBody(await rejection(as('orders').send('test.port', {}))).code).toBe(
        'FORBIDDEN_CALLER',
      );
      const counted = await metrics.registry.getSingleMetricAsString('rpc_forbidden_calls_total');
      expect(counted).toContain('rpc_forbidden_calls_total{pattern="test.ok",caller="search"');
      expect(counted).toContain('rpc_forbidden_calls_total{pattern="test.port",caller="orders"');
    } finally {
      await peer.close();
    }
  });
});
