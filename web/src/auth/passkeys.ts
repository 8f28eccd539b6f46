import type { PasskeyOptions } from '../api/api.types';

/**
 * WebAuthn through the browser's JSON helpers (`parse…OptionsFromJSON`, `toJSON`): the store sends
 * options with base64url strings and takes the credential back the same way.
 */
interface JsonCapable {
  parseCreationOptionsFromJSON(json: unknown): PublicKeyCredentialCreationOptions;
  parseRequestOptionsFromJSON(json: unknown): PublicKeyCredentialRequestOptions;
}

/** Older browsers have WebAuthn without the JSON helpers (or no WebAuthn at all). */
function capable(): JsonCapable | undefined {
  const api = (globalThis as { PublicKeyCredential?: Partial<JsonCapable> }).PublicKeyCredential;
  return typeof api?.parseCreationOptionsFromJSON === 'function' &&
    typeof api.parseRequestOptionsFromJSON === 'function'
    ? (api as JsonCapable)
    : undefined;
}

/** Whether this browser can use passkeys the way the app asks for them. */
export function passkeysSupported(): boolean {
  return capable() !== undefined;
}

/** The person closed the browser's dialog, or it timed out: not an error worth a red box. */
export function wasCancelled(error: unknown): boolean {
  return (
    error instanceof DOMException &&
    (error.name === 'NotAllowedError' || error.name === 'AbortError')
  );
}

function asJson(credential: Credential | null): Record<string, unknown> {
  if (!credential) throw new DOMException('No passkey was chosen', 'NotAllowedError');
  return (credential as PublicKeyCredential).toJSON() as unknown as Record<string, unknown>;
}

export async function createPasskey(
  options: PasskeyOptions['options'],
): Promise<Record<string, unknown>> {
  const api = capable();
  if (!api) throw new Error('This browser does not offer passkeys');
  const publicKey = api.parseCreationOptionsFromJSON(options);
  return asJson(await navigator.credentials.create({ publicKey }));
}

export async function assertPasskey(
  options: PasskeyOptions['options'],
): Promise<Record<string, unknown>> {
  const api = capable();
  if (!api) throw new Error('This browser does not offer passkeys');
  const publicKey = api.parseRequestOptionsFromJSON(options);
  return asJson(await navigator.credentials.get({ publicKey }));
}
