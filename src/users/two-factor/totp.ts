import { generateSecret, generateURI, verify } from 'otplib';
import { toString as qrToString } from 'qrcode';

/** Codes of the step before and after the current one still count: clocks drift, people type slowly. */
const TOLERANCE_SECONDS = 30;
export const TOTP_ISSUER = 'Micro Foods Market';

export const newTotpSecret = (): string => generateSecret();

/** The otpauth:// URI an authenticator app reads, and the same as a QR code (an SVG data URL). */
export async function totpEnrolment(
  secret: string,
  account: string,
): Promise<{ otpauthUri: string; qrCode: string }> {
  const otpauthUri = generateURI({ issuer: TOTP_ISSUER, label: account, secret });
  const svg = await qrToString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return {
    otpauthUri,
    qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
  };
}

export type TotpCheck = { valid: true; timeStep: number } | { valid: false; reused: boolean };

/**
 * Checks a six-digit code (RFC 6238, 30 s steps, SHA-1, one step of tolerance either way). A code
 * of a time step at or before `lastStep` (the last one accepted) is refused as reused, so a code
 * seen over someone's shoulder, or replayed from a log, does not work a second time.
 */
export async function checkTotp(
  secret: string,
  code: string,
  lastStep: number | null,
): Promise<TotpCheck> {
  if (!/^\d{6}$/.test(code)) return { valid: false, reused: false };
  const result = await verify({
    secret,
    token: code,
    epochTolerance: TOLERANCE_SECONDS,
    ...(lastStep !== null && { afterTimeStep: lastStep }),
  });
  if (result.valid && 'timeStep' in result) return { valid: true, timeStep: result.timeStep };
  if (lastStep === null) return { valid: false, reused: false };
  const anyStep = await verify({ secret, token: code, epochTolerance: TOLERANCE_SECONDS });
  return { valid: false, reused: anyStep.valid };
}
