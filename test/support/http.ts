import { request as nodeRequest } from 'node:http';

export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
  /** Send from this local address (e.g. 127.0.0.2): the server sees another client. */
  from?: string;
}

/** One HTTP call as the tests make it: JSON in and out, an optional bearer token. */
export async function httpRequest<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const payload =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const { status, responseHeaders, text } = options.from
    ? await fromAddress(options.from, `${baseUrl}${path}`, method, headers, payload)
    : await viaFetch(`${baseUrl}${path}`, method, headers, payload);
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status, headers: responseHeaders, body: body as T, text };
}

interface RawAnswer {
  status: number;
  responseHeaders: Headers;
  text: string;
}

async function viaFetch(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<RawAnswer> {
  const response = await fetch(url, { method, headers, body });
  return {
    status: response.status,
    responseHeaders: response.headers,
    text: await response.text(),
  };
}

/**
 * The same call from another loopback address (127.0.0.2, …): the server sees a different
 * client, as it would see different customers, without leaving the machine.
 */
function fromAddress(
  localAddress: string,
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = nodeRequest(url, { method, headers, localAddress, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value === undefined) continue;
          for (const one of Array.isArray(value) ? value : [value])
            responseHeaders.append(name, one);
        }
        resolve({
          status: res.statusCode ?? 0,
          responseHeaders,
          text: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * How a refused body reaches a real client: the answer (400, 413), or, when the server answered
 * and closed the connection while the client was still writing a large body, EPIPE or ECONNRESET
 * before the answer could be read (the reset discards what the client had not read yet).
 * Callers prove the refusal was a refusal by what follows: the server still answers, and nothing
 * changed.
 */
export interface Refusal {
  status?: number;
  code?: string;
  closedBeforeAnswer: boolean;
}

export function sendRefusable(
  baseUrl: string,
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<Refusal> {
  return new Promise((resolve, reject) => {
    const req = nodeRequest(
      `${baseUrl}${path}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        const done = () => {
          let code: string | undefined;
          try {
            code = JSON.parse(Buffer.concat(chunks).toString('utf8'))?.code;
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode, code, closedBeforeAnswer: false });
        };
        res.on('end', done);
        // A reset right after the answer: the status line is what counts.
        res.on('error', done);
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET')
        resolve({ closedBeforeAnswer: true });
      else reject(error);
    });
    req.end(body);
  });
}

/** A Content-Security-Policy header as directive → sources (none sent: no directives). */
export function cspDirectives(headers: Headers): Record<string, string[]> {
  return Object.fromEntries(
    (headers.get('content-security-policy') ?? '')
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...sources] = d.split(/\s+/);
        return [name, sources];
      }),
  );
}
