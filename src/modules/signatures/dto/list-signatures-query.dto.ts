import { IntersectionType } from '@nestjs/swagger';
import { KeysetPageQueryDto } from '../../../common/keyset-page-query.dto';
import { SignatureFiltersQueryDto } from './signature-filters-query.dto';

/** A page of a campaign's signatures, newest first, filtered. */
export class ListSignaturesQueryDto extends IntersectionType(KeysetPageQueryDto, SignatureFiltersQueryDto) {}
