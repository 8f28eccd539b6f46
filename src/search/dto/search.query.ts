import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CatalogueFilterQuery } from '@mfm/contracts/catalogue.contract';
import { SEARCH_SORTS, type SearchSort } from '@mfm/contracts/search-sorts';

export { SEARCH_SORTS, type SearchSort };

export class SearchQuery extends CatalogueFilterQuery {
  /** Words in any order; the last may be a prefix ("choc" finds chocolate). Up to 200 characters. @example "dark choc" */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  /** Default: relevance when there is a query, name otherwise. */
  @IsOptional()
  @IsIn(SEARCH_SORTS)
  sort?: SearchSort;
}
