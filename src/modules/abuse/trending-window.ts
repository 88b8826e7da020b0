/** The windows an admin may ask trending sources for, and their length in seconds. */
export const TRENDING_WINDOWS = { '15m': 15 * 60, '1h': 60 * 60, '6h': 6 * 60 * 60, '24h': 24 * 60 * 60 } as const;
export type TrendingWindow = keyof typeof TRENDING_WINDOWS;
export const TRENDING_WINDOW_NAMES = Object.keys(TRENDING_WINDOWS) as TrendingWindow[];

/** Sources listed per kind and campaign. */
export const TRENDING_TOP = 10;
