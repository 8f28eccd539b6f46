import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  ProductChangedReply,
  ProductChangesBatch,
  ProductDocument,
  SearchPatterns,
} from '@mfm/contracts/search.contract';
import { RpcPayload } from '@mfm/platform/rpc/rpc-payload.decorator';
import { SearchIndexService } from './search-index.service';

@Controller()
export class SearchHandlers {
  constructor(private readonly index: SearchIndexService) {}

  @MessagePattern(SearchPatterns.productChanged)
  async productChanged(@RpcPayload() document: ProductDocument): Promise<ProductChangedReply> {
    return { id: document.id, applied: (await this.index.apply([document])) > 0 };
  }

  @MessagePattern(SearchPatterns.productsChanged)
  async productsChanged(@RpcPayload() batch: ProductChangesBatch): Promise<{ applied: number }> {
    return { applied: await this.index.apply(batch.items) };
  }
}
