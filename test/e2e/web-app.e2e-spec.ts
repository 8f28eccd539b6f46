import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { cspDirectives } from '../support/http';
import { Store, TOPOLOGIES } from '../support/store';

/** The built web app (npm run build writes it next to the server). */
const BUILT = join(__dirname, '..', '..', 'dist', 'web');

describe.each(TOPOLOGIES)('the web app served by the store (%s)', (topology) => {
  let store: Store;
  const index = readFileSync(join(BUILT, 'index.html'), 'utf8');
  const script = /src="(\/assets\/[^"]+\.js)"/.exec(index)?.[1] as string;

  beforeAll(async () => {
    store = await Store.start(topology);
  });

  afterAll(async () => {
    await store?.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${store.baseUrl('users')}${path}`, { headers });

  it('answers / and every page of the app with index.html, revalidated, under a strict CSP of its own', async () => {
    for (const path of ['/', '/orders/123', '/office/products?page=2', '/index.html']) {
      const res = await get(path);
      expect({ path, status: res.status, type: res.headers.get('content-type') }).toEqual({
        path,
        status: 200,
        type: 'text/html; charset=utf-8',
      });
      expect(await res.text()).toBe(index);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const policy = cspDirectives(res.headers);
      expect(policy['script-src']).toEqual(["'self'"]);
      expect(policy['connect-src']).toEqual(["'self'"]);
      expect(policy['frame-ancestors']).toEqual(["'none'"]);
    }
    expect(index).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
  });

  it('sends the hashed files for a year, compressed when the browser takes it', async () => {
    const plain = await get(script);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const original = Buffer.from(await plain.arrayBuffer());
    expect(original.equals(readFileSync(join(BUILT, script)))).toBe(true);

    for (const [encoding, decode] of [
      ['br', brotliDecompressSync],
      ['gzip', gunzipSync],
    ] as const) {
      // Node's fetch decodes for us; a raw request shows what went over the wire.
      const res = await rawGet(`${store.baseUrl('users')}${script}`, encoding);
      expect(res.headers['content-encoding']).toBe(encoding);
      expect(res.body.length).toBeLessThan(original.length);
      expect(decode(res.body).equals(original)).toBe(true);
    }
  });

  it('keeps the JSON 404 and the API CSP for unknown API paths, missing files and other methods', async () => {
    for (const path of [
      '/api/nowhere',
      '/api',
      '/health/x',
      '/.well-known/x',
      '/assets/missing.js',
      '/favicon.ico',
    ]) {
      const res = await get(path);
      expect({ path, status: res.status, type: res.headers.get('content-type') }).toEqual({
        path,
        status: 404,
        type: 'application/json; charset=utf-8',
      });
      expect(await res.json()).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
      if (path.startsWith('/api') || path.startsWith('/.well-known') || path.startsWith('/health'))
        expect({ path, csp: cspDirectives(res.headers)['default-src'] }).toEqual({
          path,
          csp: ["'none'"],
        });
    }
    const post = await fetch(`${store.baseUrl('users')}/orders`, { method: 'POST' });
    expect(post.status).toBe(404);
    // The API itself is untouched.
    expect((await get('/health')).status).toBe(200);
    expect((await get('/api/users/me')).status).toBe(401);
  });

  if (topology === 'split') {
    it('is served by the process hosting users only (where the gateway sends /)', async () => {
      const res = await fetch(`${store.baseUrl('products')}/`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    });
  }
});

/** A GET whose body arrives exactly as sent (fetch would decode it). */
async function rawGet(
  url: string,
  encoding: string,
): Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    request(url, { headers: { 'accept-encoding': encoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}
