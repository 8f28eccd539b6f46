import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config';
import { ConfigError } from '../config/load-config';
import { DataKeyMaterial, DataKeyRing } from './data-key-ring';
import { decodeKey, newKeyText, parseEncryptionKeys } from '../config/data-key-format';

export const DEV_KEYS_FILE = 'data-keys.json';

/**
 * Development and tests: keys generated once into `<dataDir>/data-keys.json`. Split processes
 * sharing a data folder start together, so each writes its candidate to a temporary folder and
 * links it into place; link() fails for all but the first, and the others read what it wrote.
 */
export function ensureDevDataKeys(dataDir: string): DataKeyMaterial {
  const file = join(dataDir, DEV_KEYS_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const staging = mkdtempSync(join(dataDir, '.data-keys-'));
    try {
      const candidate = join(staging, DEV_KEYS_FILE);
      writeFileSync(
        candidate,
        JSON.stringify({ encryptionKeys: `dev1:${newKeyText()}`, indexKey: newKeyText() }),
        { mode: 0o600 },
      );
      try {
        linkSync(candidate, file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  const saved = JSON.parse(readFileSync(file, 'utf8')) as {
    encryptionKeys: string;
    indexKey: string;
  };
  return {
    encryptionKeys: parseEncryptionKeys(saved.encryptionKeys),
    indexKey: decodeKey(saved.indexKey) as Buffer,
  };
}

const rings = new Map<string, DataKeyRing>();

/**
 * The key ring of this process: the configured keys, or outside production the development keys
 * of the data folder (created on first start). Production without keys is a ConfigError (exit 2).
 */
export function dataKeyRing(config: AppConfig): DataKeyRing {
  const { encryptionKeys, indexKey } = config.dataProtection;
  const cacheKey = `${config.dataDir}\u0000${encryptionKeys ?? ''}\u0000${indexKey ?? ''}`;
  const cached = rings.get(cacheKey);
  if (cached) return cached;
  let material: DataKeyMaterial;
  if (encryptionKeys !== undefined && indexKey !== undefined) {
    material = {
      encryptionKeys: parseEncryptionKeys(encryptionKeys),
      indexKey: decodeKey(indexKey) as Buffer,
    };
  } else if (config.nodeEnv === 'production') {
    throw new ConfigError([
      'DATA_ENCRYPTION_KEYS and DATA_INDEX_KEY are required when NODE_ENV=production: personal ' +
        'data is encrypted at rest (generate each key with `openssl rand -base64 32`; ' +
        'DATA_ENCRYPTION_KEYS=<id>:<key>)',
    ]);
  } else {
    material = ensureDevDataKeys(config.dataDir);
  }
  const ring = new DataKeyRing(material);
  rings.set(cacheKey, ring);
  return ring;
}
