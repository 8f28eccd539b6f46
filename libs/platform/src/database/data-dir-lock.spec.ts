import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { transformFileSync } from '@swc/core';
import { DataDirError, DataDirLock, lockDataDir, moduleLockFile } from './data-dir-lock';

/** The error a call throws (the test fails if it does not throw). */
function thrown(call: () => unknown): Error {
  try {
    call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('it did not throw');
}

describe('lockDataDir: one process per module and data folder', () => {
  let root: string;
  const locks: DataDirLock[] = [];
  const lock = (dir: string, modules: string[]) => {
    const taken = lockDataDir(dir, modules);
    locks.push(taken);
    return taken;
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'mfm-lock-'));
  });

  afterEach(() => {
    locks.splice(0).forEach((taken) => taken.release());
    rmSync(root, { recursive: true, force: true });
  });

  it('creates the folder and one lock file per module', () => {
    const dir = join(root, 'data');
    lock(dir, ['users', 'orders']);
    expect(existsSync(moduleLockFile(dir, 'users'))).toBe(true);
    expect(existsSync(moduleLockFile(dir, 'orders'))).toBe(true);
    expect(existsSync(moduleLockFile(dir, 'products'))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['orders.lock', 'users.lock']);
  });

  it('refuses a module that is already locked in the folder, naming the module, the folder and what to do', () => {
    lock(root, ['users']);
    const error = thrown(() => lockDataDir(root, ['products', 'users']));
    expect(error).toBeInstanceOf(DataDirError);
    expect(error.message).toContain('the users module');
    expect(error.message).toContain(root);
    expect(error.message).toMatch(/Stop that process/);
    expect(error.message).not.toContain('\n');
    // The refused call let go of what it had taken: products is free again.
    expect(() => lock(root, ['products'])).not.toThrow();
  });

  it('lets different modules share a folder, and the same module run on another folder', () => {
    lock(root, ['users']);
    expect(() => lock(root, ['products'])).not.toThrow();
    expect(() => lock(join(root, 'elsewhere'), ['users'])).not.toThrow();
  });

  it('frees the modules on release', () => {
    lock(root, ['users']).release();
    expect(() => lock(root, ['users'])).not.toThrow();
  });

  it('refuses a folder that cannot be created, with one line naming it', () => {
    writeFileSync(join(root, 'a-file'), '');
    const dir = join(root, 'a-file', 'data');
    const error = thrown(() => lockDataDir(dir, ['users']));
    expect(error).toBeInstanceOf(DataDirError);
    expect(error.message).toContain(`DATA_DIR ${dir} cannot be created`);
    expect(error.message).toContain('ENOTDIR');
    expect(error.message).not.toContain('\n');
  });

  describe('across processes', () => {
    let holder: ChildProcess | undefined;

    afterEach(() => {
      holder?.kill('SIGKILL');
      holder = undefined;
    });

    /** Another process running this same code, holding the users lock of `dir` until killed. */
    async function holdInAnotherProcess(dir: string): Promise<ChildProcess> {
      // The lock and the files it imports, compiled in the same folders relative to each other.
      for (const source of [
        'database/data-dir-lock',
        'database/create-folder',
        'startup/startup-error',
      ]) {
        const target = join(root, 'compiled', `${source}.js`);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(
          target,
          transformFileSync(resolve(__dirname, '..', `${source}.ts`), {
            jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
            module: { type: 'commonjs' },
          }).code,
        );
      }
      const compiled = join(root, 'compiled', 'database', 'data-dir-lock.js');
      const child = spawn(
        process.execPath,
        [
          '-e',
          `require(${JSON.stringify(compiled)}).lockDataDir(${JSON.stringify(dir)}, ['users']);` +
            `process.stdout.write('locked\\n'); setInterval(() => {}, 60000);`,
        ],
        {
          env: {
            PATH: process.env.PATH,
            NODE_PATH: resolve(__dirname, '../../../../node_modules'),
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      await new Promise<void>((done, fail) => {
        let output = '';
        const collect = (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('locked\n')) done();
        };
        child.stdout.on('data', collect);
        child.stderr.on('data', collect);
        child.once('exit', (code) => fail(new Error(`holder exited with ${code}: ${output}`)));
      });
      return child;
    }

    it('refuses while another process holds the module, and takes it as soon as that process is killed with SIGKILL', async () => {
      const dir = join(root, 'shared');
      holder = await holdInAnotherProcess(dir);
      expect(thrown(() => lockDataDir(dir, ['users'])).message).toContain('the users module');
      expect(() => lock(dir, ['products'])).not.toThrow();

      const exited = new Promise((done) => holder?.once('exit', done));
      holder.kill('SIGKILL');
      await exited;
      expect(() => lock(dir, ['users'])).not.toThrow();
    });
  });
});
