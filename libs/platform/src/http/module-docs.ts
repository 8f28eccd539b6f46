import { Controller, Inject, Injectable, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { RpcHandler } from '../rpc/rpc-handler.decorator';
import { RpcClient } from '../rpc/rpc-client';
import { rpcClientToken } from '../rpc/rpc-client.tokens';
import { MODULE_NAMES, ModuleName } from '../topology/module-names';
import { ProcessContext } from '../topology/process-context';

/** Each module tells its peers its part of the API document, so any process can show the store's. */
export const openapiPattern = (module: ModuleName): string => `${module}.openapi`;

const PEER_DOCS_TIMEOUT_MS = 2000;
const CACHE_MS = 10_000;

/**
 * The API document of each module this process hosts. Bootstrap registers how to build each; it
 * is built when first asked for (by /docs or by a peer), not at every start.
 */
@Injectable()
export class ModuleDocs {
  private readonly parts = new Map<ModuleName, () => OpenAPIObject>();
  private cache?: { until: number; document: Promise<OpenAPIObject> };

  constructor(
    private readonly context: ProcessContext,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
  ) {}

  /** `build` runs once, on the first request for the module's part. */
  set(module: ModuleName, build: () => OpenAPIObject): void {
    let built: OpenAPIObject | undefined;
    this.parts.set(module, () => (built ??= build()));
  }

  get(module: ModuleName): OpenAPIObject | undefined {
    return this.parts.get(module)?.();
  }

  /**
   * The whole store's document: this process's own, plus the parts of the modules hosted
   * elsewhere, asked over the bus. A module that does not answer is named in the description, so
   * a partial document never passes for a whole one.
   */
  storeDocument(own: OpenAPIObject): Promise<OpenAPIObject> {
    const remote = MODULE_NAMES.filter((module) => !this.context.isLocal(module));
    if (remote.length === 0) return Promise.resolve(own);
    if (this.cache && this.cache.until > Date.now()) return this.cache.document;
    const document = this.collect(own, remote);
    this.cache = { until: Date.now() + CACHE_MS, document };
    // A failed collection is not kept: the next request asks again.
    document.catch(() => (this.cache = undefined));
    return document;
  }

  private async collect(own: OpenAPIObject, remote: ModuleName[]): Promise<OpenAPIObject> {
    const merged = structuredClone(own);
    const missing: ModuleName[] = [];
    for (const module of remote) {
      const client = this.moduleRef.get<RpcClient>(rpcClientToken(module), { strict: false });
      try {
        mergeInto(
          merged,
          await client.send<OpenAPIObject>(
            openapiPattern(module),
            {},
            {
              timeoutMs: PEER_DOCS_TIMEOUT_MS,
              idempotent: true,
            },
          ),
        );
      } catch {
        missing.push(module);
      }
    }
    if (missing.length > 0) {
      merged.info.description =
        `**Incomplete:** the ${missing.join(', ')} module${missing.length > 1 ? 's' : ''} did not answer, ` +
        `so ${missing.length > 1 ? 'their' : 'its'} routes are missing here.\n\n${merged.info.description ?? ''}`;
      this.cache = undefined;
    }
    return merged;
  }
}

/** Adds one module's paths and schemas to a document (they never collide: each route has one owner). */
export function mergeInto(target: OpenAPIObject, part: OpenAPIObject): void {
  Object.assign(target.paths, part.paths);
  const components = (target.components ??= {});
  components.schemas = { ...components.schemas, ...part.components?.schemas };
  components.securitySchemes = {
    ...components.securitySchemes,
    ...part.components?.securitySchemes,
  };
}

/** Answers `<module>.openapi` with that module's part of the API document. */
export function moduleDocsController(module: ModuleName): Type {
  @Controller()
  class ModuleDocsController {
    constructor(private readonly docs: ModuleDocs) {}

    @RpcHandler(openapiPattern(module))
    document(): OpenAPIObject | undefined {
      return this.docs.get(module);
    }
  }
  Object.defineProperty(ModuleDocsController, 'name', { value: `${module}DocsController` });
  return ModuleDocsController;
}
