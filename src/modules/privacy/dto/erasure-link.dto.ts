import type { Locale } from '../../../common/locale';

/** What an erasure link leads to, for its page: whether it may still erase, and the request's language. */
export interface ErasureLink {
  /** `pending`: the button erases; `erased`: done already (the same link again). */
  state: 'pending' | 'erased';
  locale: Locale;
}
