import { KeysetPageQueryDto } from '../../../common/keyset-page-query.dto';

/** A page of a campaign's invalidations, newest first. */
export class ListInvalidationsQueryDto extends KeysetPageQueryDto {}
