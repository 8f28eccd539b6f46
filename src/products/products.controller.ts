import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ProductsErrors } from '@mfm/contracts/errors.contract';
import { PlatformErrors } from '@mfm/platform/errors/error-codes';
import { ApiErrors } from '@mfm/platform/http/api-errors.decorator';
import { uuidParam } from '@mfm/platform/validation/uuid-param.pipe';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import { Auth, CurrentUser, Public } from '@mfm/platform/auth/auth.decorators';
import { CreateProductDto } from './dto/create-product.dto';
import { ListProductsQuery } from './dto/list-products.query';
import { ProductPageResponse, ProductResponse } from './dto/product.response';
import { UpdateProductDto } from './dto/update-product.dto';
import { ProductsService } from './products.service';
import { CataloguePages } from './catalogue-pages.service';
import { PRODUCT_JSON_SCHEMA, PRODUCT_PAGE_JSON_SCHEMA } from './dto/product.schema';

const actorOf = (user: VerifiedUser) => ({ userId: user.userId, username: user.username });

/** `If-Match: 3` or `If-Match: "3"` (an ETag-style version). */
function versionFrom(
  ifMatch: string | undefined,
  bodyVersion: number | undefined,
): number | undefined {
  if (ifMatch === undefined) return bodyVersion;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(ifMatch);
  if (!match)
    throw ProductsErrors.IF_MATCH_INVALID.error({
      fields: [{ field: 'If-Match', messages: ['must be a version number'] }],
    });
  const version = Number(match[1]);
  if (bodyVersion !== undefined && bodyVersion !== version) {
    throw ProductsErrors.IF_MATCH_DISAGREES.error({
      fields: [{ field: 'version', messages: ['must equal If-Match'] }],
    });
  }
  return version;
}

@ApiTags('products')
@Controller('api/products')
export class ProductsController {
  constructor(
    private readonly products: ProductsService,
    private readonly pages: CataloguePages,
  ) {}

  @Get()
  @Public()
  @ApiOperation({
    operationId: 'listProducts',
    summary: 'The catalogue: paged, filtered and sorted (archived products are hidden)',
  })
  @ApiOkResponse({ type: ProductPageResponse })
  @ApiErrors(PlatformErrors.VALIDATION_FAILED)
  @RouteSchema({ response: { 200: PRODUCT_PAGE_JSON_SCHEMA } })
  async list(@Query() query: ListProductsQuery): Promise<ProductPageResponse> {
    const page = await this.pages.list(query);
    return {
      items: page.items.map((product) => ProductResponse.from(product)),
      total: page.total,
      page: query.page,
      limit: query.limit,
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  @Public()
  @ApiOperation({
    operationId: 'getProduct',
    summary: 'One product',
  })
  @ApiOkResponse({ type: ProductResponse })
  @ApiErrors(PlatformErrors.VALIDATION_FAILED, ProductsErrors.PRODUCT_NOT_FOUND)
  @RouteSchema({ response: { 200: PRODUCT_JSON_SCHEMA } })
  async get(@Param('id', uuidParam()) id: string): Promise<ProductResponse> {
    return ProductResponse.from(await this.products.get(id));
  }

  @Post()
  @Auth('employee')
  @ApiOperation({
    operationId: 'createProduct',
    summary: 'Add a product',
  })
  @ApiCreatedResponse({ type: ProductResponse })
  @ApiErrors(PlatformErrors.VALIDATION_FAILED, ProductsErrors.PRODUCT_NAME_TAKEN)
  async create(
    @Body() body: CreateProductDto,
    @CurrentUser() caller: VerifiedUser,
  ): Promise<ProductResponse> {
    return ProductResponse.from(await this.products.create(body, actorOf(caller)));
  }

  @Patch(':id')
  @Auth('employee')
  @ApiOperation({
    operationId: 'updateProduct',
    summary: 'Change any subset of fields',
    description: 'Send If-Match (or `version`) to refuse overwriting a newer edit.',
  })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The version you last saw, e.g. "3"',
    schema: { type: 'string', pattern: '^"?[1-9][0-9]{0,8}"?$', example: '"1"' },
  })
  @ApiOkResponse({ type: ProductResponse })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    ProductsErrors.PRODUCT_NOT_FOUND,
    ProductsErrors.VERSION_CONFLICT,
    ProductsErrors.PRODUCT_NAME_TAKEN,
  )
  async update(
    @Param('id', uuidParam()) id: string,
    @Body() body: UpdateProductDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() caller: VerifiedUser,
  ): Promise<ProductResponse> {
    const { version, ...changes } = body;
    return ProductResponse.from(
      await this.products.update(id, changes, versionFrom(ifMatch, version), actorOf(caller)),
    );
  }

  @Delete(':id')
  @Auth('employee')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'archiveProduct',
    summary: 'Archive a product',
    description: 'Hidden from the catalogue, kept for order history.',
  })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The version you last saw, e.g. "3"',
    schema: { type: 'string', pattern: '^"?[1-9][0-9]{0,8}"?$', example: '"1"' },
  })
  @ApiNoContentResponse({ description: 'Archived' })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    ProductsErrors.PRODUCT_NOT_FOUND,
    ProductsErrors.VERSION_CONFLICT,
  )
  async archive(
    @Param('id', uuidParam()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() caller: VerifiedUser,
  ): Promise<void> {
    await this.products.archive(id, versionFrom(ifMatch, undefined), actorOf(caller));
  }
}
