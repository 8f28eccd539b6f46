import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFolder } from './create-folder';

describe('createFolder', () => {
  const root = mkdtempSync(join(tmpdir(), 'mfm-folder-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('creates every missing level, and accepts a folder that exists', () => {
    const dir = join(root, 'a', 'b', 'c');
    createFolder(dir);
    expect(statSync(dir).isDirectory()).toBe(true);
    createFolder(dir);
    expect(statSync(dir).isDirectory()).toBe(true);
  });

  it('fails at once where the system refuses a level (a folder under /proc), instead of looping', () => {
    expect(() => createFolder('/proc/mfm-no-such-folder/data')).toThrow(/ENOENT/);
    expect(existsSync('/proc/mfm-no-such-folder')).toBe(false);
  });

  it('refuses a path that runs through a file', () => {
    const file = join(root, 'plain-file');
    writeFileSync(file, 'x');
    expect(() => createFolder(join(file, 'data'))).toThrow(/ENOTDIR/);
  });
});
