import type Sharp from 'sharp';

let loaded: Promise<typeof Sharp> | undefined;

/**
 * sharp, loaded on first use. Loading it maps libvips and its allocator (~20 MB of RSS, measured
 * with `require('sharp')` alone), which a process then keeps: an api process that never receives a
 * photo, and a worker that never prints a share card, never pays for it.
 */
export function loadSharp(): Promise<typeof Sharp> {
  return (loaded ??= import('sharp').then((m) => m.default));
}
