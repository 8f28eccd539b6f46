import { Controller } from '@nestjs/common';
import {
  ProductChangedReply,
  ProductChangesBatch,
  ProductDocument,
  ProductChangesReply,
  SearchApi,
  SearchMessages,
} from '@mfm/contracts/search.contract';
import { Handles } from '@mfm/contracts/message';
import { RpcPayload } from '@mfm/platform/rpc/rpc-payload.decorator';
import { SearchIndexService } from './search-index.service';

@Controller()
/** The search module's messages (SearchMessages in libs/contracts). */
export class SearchHandlers implements SearchApi {
  constructor(private readonly index: SearchIndexService) {}

  @Handles(SearchMessages.productChanged)
  async productChanged(@RpcPayload() document: ProductDocument): Promise<ProductChangedReply> {
    return { id: document.id, applied: (await this.index.apply([document])) > 0 };
  }

  @Handles(SearchMessages.productsChanged)
  async productsChanged(@RpcPayload() batch: ProductChangesBatch): Promise<ProductChangesReply> {
    return { applied: await this.index.apply(batch.items) };
  }
}
