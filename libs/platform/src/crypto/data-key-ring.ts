import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/** The keys as configured: "<id>:<base64 of 32 bytes>" entries, the first one encrypts. */
export interface DataKeyMaterial {
  encryptionKeys: Array<{ id: string; key: Buffer }>;
  indexKey: Buffer;
}

/** Sealed values start with this, then the key id and base64url(iv | tag | ciphertext). */
const PREFIX = 'enc1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Personal data and secrets at rest: AES-256-GCM under the newest key (the first configured),
 * readable under any configured key, so keys rotate without downtime. Each value is bound to the
 * context it is sealed under as additional data, and opens under that context only. The context
 * is what the writer knows: a column ("user.email") when a column transformer seals, so a value
 * copied into another column does not open but one copied into the same column of another row
 * does; a column and row id (`rowContext`) when the writer seals with the row in hand, so the
 * value opens in that row only. A keyed HMAC (the blind index) lets an encrypted column still be
 * unique and searchable by exact value without storing the value.
 */
export class DataKeyRing {
  private readonly keys: Map<string, Buffer>;
  readonly currentKeyId: string;
  private readonly indexKey: Buffer;

  constructor(material: DataKeyMaterial) {
    this.keys = new Map(material.encryptionKeys.map(({ id, key }) => [id, key]));
    this.currentKeyId = material.encryptionKeys[0].id;
    this.indexKey = material.indexKey;
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId) as Buffer, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const sealed = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    return `${PREFIX}.${this.currentKeyId}.${sealed}`;
  }

  open(sealed: string, context: string): string {
    const [prefix, keyId, data] = sealed.split('.');
    if (prefix !== PREFIX || !keyId || data === undefined)
      throw new Error('not a sealed value (unencrypted data, or written by something else)');
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`sealed under the key "${keyId}", which is not configured`);
    const raw = Buffer.from(data, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new Error(
        `a value of ${context.replace('\u0000', ' in the row ')} does not open under the key "${keyId}": the key is not the one ` +
          'that sealed it (processes sharing a database need the same DATA_ENCRYPTION_KEYS), ' +
          'or the value was altered',
      );
    }
  }

  /** The context of a value bound to one row as well as its column (e.g. a signing key's kid). */
  static rowContext(context: string, rowId: string): string {
    return `${context}\u0000${rowId}`;
  }

  /** Whether a value is sealed at all (a row not yet migrated holds plaintext). */
  static isSealed(value: string): boolean {
    return value.startsWith(`${PREFIX}.`);
  }

  /** The key id a sealed value was written under. */
  static keyIdOf(sealed: string): string | undefined {
    return DataKeyRing.isSealed(sealed) ? sealed.split('.')[1] : undefined;
  }

  /** Whether a sealed value needs re-encrypting under the current key. */
  isCurrent(sealed: string): boolean {
    return DataKeyRing.keyIdOf(sealed) === this.currentKeyId;
  }

  /** The blind index of a value: HMAC-SHA256 under the index key, per purpose, hex. */
  blindIndex(value: string, purpose: string): string {
    return createHmac('sha256', this.indexKey).update(`${purpose}\u0000${value}`).digest('hex');
  }
}
