import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProductsErrors } from '@mfm/contracts/errors.contract';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import { Auth, CurrentUser, OptionalAuth } from '@mfm/platform/auth/auth.decorators';
import { PlatformErrors } from '@mfm/platform/errors/error-codes';
import { ApiErrors } from '@mfm/platform/http/api-errors.decorator';
import { uuidParam } from '@mfm/platform/validation/uuid-param.pipe';
import {
  CreateReviewDto,
  HideReviewDto,
  ListReviewsQuery,
  ReviewPageResponse,
  ReviewResponse,
  UpdateReviewDto,
} from './dto/review.dto';
import { ReviewsService } from './reviews.service';

@ApiTags('reviews')
@Controller('api/products/:id/reviews')
export class ReviewsController {
  constructor(private readonly reviews: ReviewsService) {}

  @Get()
  @OptionalAuth()
  @ApiOperation({
    operationId: 'listReviews',
    summary: "A product's reviews, newest first, with its rating",
    description:
      'Hidden reviews are left out; employees may ask for them with `includeHidden=true`.',
  })
  @ApiOkResponse({ type: ReviewPageResponse })
  @ApiErrors(PlatformErrors.VALIDATION_FAILED, ProductsErrors.PRODUCT_NOT_FOUND)
  async list(
    @Param('id', uuidParam()) id: string,
    @Query() query: ListReviewsQuery,
    @CurrentUser() caller: VerifiedUser | undefined,
  ): Promise<ReviewPageResponse> {
    const employee = caller?.role === 'employee';
    const page = await this.reviews.list(
      id,
      query.page,
      query.limit,
      employee && query.includeHidden === true,
    );
    return {
      items: page.items.map((review) => ReviewResponse.from(review, employee)),
      total: page.total,
      page: query.page,
      limit: query.limit,
      ratingAverage: page.product.ratingAverage ?? null,
      ratingCount: page.product.ratingCount ?? 0,
    };
  }

  @Post()
  @Auth()
  @ApiOperation({
    operationId: 'createReview',
    summary: 'Review a product you bought: a rating (1–5) and text',
    description: 'One review per customer and product, from a CONFIRMED order of it.',
  })
  @ApiCreatedResponse({ type: ReviewResponse })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    ProductsErrors.PURCHASE_REQUIRED,
    ProductsErrors.PRODUCT_NOT_FOUND,
    ProductsErrors.REVIEW_EXISTS,
  )
  async create(
    @Param('id', uuidParam()) id: string,
    @Body() body: CreateReviewDto,
    @CurrentUser() caller: VerifiedUser,
  ): Promise<ReviewResponse> {
    return ReviewResponse.from(await this.reviews.create(id, body, caller));
  }

  @Patch(':reviewId')
  @Auth()
  @ApiOperation({ operationId: 'updateReview', summary: 'Edit your review' })
  @ApiOkResponse({ type: ReviewResponse })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    ProductsErrors.NOT_REVIEW_AUTHOR,
    ProductsErrors.PRODUCT_NOT_FOUND,
    ProductsErrors.REVIEW_NOT_FOUND,
  )
  async update(
    @Param('id', uuidParam()) id: string,
    @Param('reviewId', uuidParam()) reviewId: string,
    @Body() body: UpdateReviewDto,
    @CurrentUser() caller: VerifiedUser,
  ): Promise<ReviewResponse> {
    return ReviewResponse.from(await this.reviews.update(id, reviewId, body, caller));
  }

  @Post(':reviewId/hide')
  @Auth('employee')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'hideReview',
    summary: 'Hide a review (moderation): off the page and out of the rating, with a reason',
  })
  @ApiOkResponse({ type: ReviewResponse })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    ProductsErrors.PRODUCT_NOT_FOUND,
    ProductsErrors.REVIEW_NOT_FOUND,
  )
  async hide(
    @Param('id', uuidParam()) id: string,
    @Param('reviewId', uuidParam()) reviewId: string,
    @Body() body: HideReviewDto,
    @CurrentUser() caller: VerifiedUser,
  ): Promise<ReviewResponse> {
    return ReviewResponse.from(await this.reviews.hide(id, reviewId, body.reason, caller), true);
  }
}
