import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

export interface BundleBudgetOptions {
  /** The most gzipped JavaScript the first page load may fetch. */
  maxFirstLoadGzipBytes: number;
}

interface EmittedChunk {
  type: 'chunk';
  fileName: string;
  code: string;
  isEntry: boolean;
  imports: string[];
}

interface EmittedAsset {
  type: 'asset';
  fileName: string;
  source: string | Uint8Array;
}

const kb = (bytes: number): string => `${(bytes / 1000).toFixed(1)} kB`;
const COMPRESSIBLE = /\.(?:js|css|html|svg|json|txt)$/;

/**
 * The first-load budget, measured on what the build emits: the entry chunk and every chunk it
 * imports statically (lazily loaded pages such as the back office are not part of a first visit),
 * gzipped. The build prints the figure and fails above the budget. It also writes a .br and a .gz
 * twin of every text file, which the server sends to browsers that accept them.
 */
export function bundleBudget(options: BundleBudgetOptions): Plugin {
  let outDir = '';
  return {
    name: 'mfm-bundle-budget',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    generateBundle(_output, bundle) {
      const chunks = new Map<string, EmittedChunk>();
      for (const item of Object.values(bundle) as Array<EmittedChunk | EmittedAsset>)
        if (item.type === 'chunk') chunks.set(item.fileName, item);
      const firstLoad = new Set<string>();
      const visit = (fileName: string): void => {
        const chunk = chunks.get(fileName);
        if (!chunk || firstLoad.has(fileName)) return;
        firstLoad.add(fileName);
        chunk.imports.forEach(visit);
      };
      for (const chunk of chunks.values()) if (chunk.isEntry) visit(chunk.fileName);
      const sizes = [...firstLoad].map((fileName) => ({
        fileName,
        gzip: gzipSync((chunks.get(fileName) as EmittedChunk).code, { level: 9 }).length,
      }));
      const total = sizes.reduce((sum, { gzip }) => sum + gzip, 0);
      const lines = sizes.map(({ fileName, gzip }) => `  ${fileName} ${kb(gzip)}`).join('\n');
      const verdict = `First-load JavaScript: ${kb(total)} gzipped (budget ${kb(options.maxFirstLoadGzipBytes)})`;
      this.info(`${verdict}\n${lines}`);
      if (total > options.maxFirstLoadGzipBytes)
        this.error(`${verdict}: over budget. Load rarely used pages lazily or drop a dependency.`);
    },
    writeBundle(_output, bundle) {
      for (const item of Object.values(bundle) as Array<EmittedChunk | EmittedAsset>) {
        if (!COMPRESSIBLE.test(item.fileName)) continue;
        const source = item.type === 'chunk' ? item.code : item.source;
        const data = typeof source === 'string' ? Buffer.from(source) : Buffer.from(source);
        const path = join(outDir, item.fileName);
        writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
        writeFileSync(
          `${path}.br`,
          brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
      }
    },
  };
}
