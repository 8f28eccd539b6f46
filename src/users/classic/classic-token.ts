import { createHmac, timingSafeEqual } from 'node:crypto';

/** The exact header text of the original services (note the spaces). */
export const CLASSIC_TOKEN_HEADER = '{"alg": "HS256", "typ": "JWT"}';

/** URL-safe base64 with the `=` padding kept (as Python's base64.urlsafe_b64encode). */
const b64url = (text: string): string =>
  Buffer.from(text, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_');

const sign = (signingInput: string, key: string): string =>
  createHmac('sha256', key).update(signingInput, 'utf8').digest('hex');

/** `{"username": "<name>"}` exactly as Python's json.dumps writes it (non-ASCII as \\uXXXX). */
export function classicPayload(username: string): string {
  const quoted = JSON.stringify(username).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `{"username": ${quoted}}`;
}

/** The classic token of a user: header.payload.signature, signature in lowercase hex. */
export function encodeClassicToken(username: string, key: string): string {
  const signingInput = `${b64url(CLASSIC_TOKEN_HEADER)}.${b64url(classicPayload(username))}`;
  return `${signingInput}.${sign(signingInput, key)}`;
}

/**
 * The username a classic token names, or null when the token is malformed or its signature
 * is not exactly the expected lowercase hex (compared in constant time).
 */
export function verifyClassicToken(token: string | undefined, key: string): string | null {
  if (typeof token !== 'string' || token.length === 0 || token.length > 4096) return null;
  const parts = token.trim().split('.');
  if (parts.length !== 3) return null;
  const [header, payload, signature] = parts;
  const expected = Buffer.from(sign(`${header}.${payload}`, key), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const username = (claims as { username?: unknown } | null)?.username;
  return typeof username === 'string' && username.length > 0 ? username : null;
}
