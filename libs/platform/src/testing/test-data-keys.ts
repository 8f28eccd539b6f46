import { randomBytes } from 'node:crypto';
import { DataKeyRing } from '../crypto/data-key-ring';

/** A key ring of fresh random keys, for unit tests of code that seals personal data. */
export const testDataKeyRing = (): DataKeyRing =>
  new DataKeyRing({
    encryptionKeys: [{ id: 'test', key: randomBytes(32) }],
    indexKey: randomBytes(32),
  });
