import { IntSetting, PatternSetting, TimeZoneSetting } from '../setting.decorators';

/** The public pages: live count, caching, time zone, who may frame them. */
export class PageSettings {
  /** How often the public pages' script refreshes the count, in milliseconds. */
  @IntSetting({ min: 1000, max: 60000 }) PAGE_POLL_MS = 5000;

  /** How long a proxy may keep a public page (home, campaign, embed), in seconds (0: not at all). */
  @IntSetting({ min: 0, max: 300 }) PAGE_CACHE_SECONDS = 5;

  /** Time zone in which the pages show deadlines (IANA name). */
  @TimeZoneSetting('PAGE_TIME_ZONE must be an IANA time zone such as Asia/Baghdad') PAGE_TIME_ZONE = 'UTC';

  /** Sites allowed to frame the embed pages: `*`, or origins separated by spaces. */
  @PatternSetting(/^(\*|https?:\/\/[^\s/]+( https?:\/\/[^\s/]+)*)$/, 'EMBED_ALLOWED_ORIGINS must be * or http(s) origins separated by spaces') EMBED_ALLOWED_ORIGINS = '*';
}
