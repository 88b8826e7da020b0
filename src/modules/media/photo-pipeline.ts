import { createHash } from 'node:crypto';
import type { Metadata, OutputInfo } from 'sharp';
import { loadSharp } from './lazy-sharp';
import { MediaErrors } from './media.errors';

export type PhotoFormat = 'jpeg' | 'png' | 'webp';

/** The widths a photo is stored at (never enlarged): a phone, a tablet or a wide screen at 2×, a share preview. */
export const PHOTO_WIDTHS = [480, 960, 1600] as const;

/** The most bytes each width may take (the phone's version is the page's only image on a phone: ≤ 40 KB). */
const BYTE_BUDGET: Record<number, number> = { 480: 40 * 1024, 960: 110 * 1024, 1600: 280 * 1024 };
/** Qualities tried, best first, until a version fits its budget. */
const QUALITIES = [72, 62, 52, 42, 34];
/** A photo taller than this (height / width) is cut to it around its centre: a page is not a poster. */
const MAX_PORTRAIT = 1.25;
export const MIN_PHOTO_SIDE = 200;

/** What a file's first bytes say it is: JPEG, PNG or WebP, or null for anything else (SVG, text, GIF…). */
export function sniffFormat(head: Buffer): PhotoFormat | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return null;
}

export interface EncodedVersion {
  width: number;
  height: number;
  webp: Buffer;
  jpeg: Buffer;
}

export interface ProcessedPhoto {
  format: PhotoFormat;
  /** Smallest first. */
  versions: EncodedVersion[];
  /** `#rrggbb`. */
  colour: string;
  /** A hash of the largest JPEG version (hex). */
  hash: string;
}

/**
 * Turns an upload into the versions Nida serves, or refuses it (AppError, nothing kept):
 * the type is read from the bytes (SVG, text and everything else are refused), and a file whose
 * name says another image type than its bytes (a PNG named `.jpg`) is refused too — a renamed or
 * mislabelled file is a mistake worth showing, and the name never makes a file acceptable; the declared pixel count is checked before decoding (a
 * decompression bomb never is decoded); a damaged or truncated file fails to decode. The photo is
 * turned upright by its EXIF orientation, then every version is encoded fresh in sRGB with no
 * metadata at all (no EXIF, GPS, XMP, IPTC or ICC profile): nothing the uploader sent is served.
 */
export async function processPhoto(input: Buffer, maxPixels: number, filename = ''): Promise<ProcessedPhoto> {
  const format = sniffFormat(input);
  if (!format) throw MediaErrors.typeUnsupported();
  const named = namedFormat(filename);
  if (named && named !== format) throw MediaErrors.typeMismatch(named, format);
  const sharp = await loadSharp();
  let metadata: Metadata;
  try {
    metadata = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw MediaErrors.unreadable();
  }
  if (metadata.format !== format) throw MediaErrors.typeUnsupported();
  const { width, height } = metadata;
  if (!width || !height) throw MediaErrors.unreadable();
  if (width * height > maxPixels) throw MediaErrors.tooManyPixels(maxPixels);
  if (width < MIN_PHOTO_SIDE || height < MIN_PHOTO_SIDE) throw MediaErrors.tooSmall(MIN_PHOTO_SIDE);

  // One decode, upright, flattened on white, in sRGB; every version is made from these pixels.
  let upright: { data: Buffer; info: OutputInfo };
  try {
    upright = await sharp(input, { limitInputPixels: maxPixels, failOn: 'truncated', sequentialRead: true })
      .rotate()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch {
    throw MediaErrors.unreadable();
  }
  const raw = { raw: { width: upright.info.width, height: upright.info.height, channels: upright.info.channels } };
  const fullWidth = upright.info.width;
  const fullHeight = upright.info.height;
  const widths = [...new Set(PHOTO_WIDTHS.map((w) => Math.min(w, fullWidth)))];
  const versions: EncodedVersion[] = [];
  for (const w of widths) {
    const h = Math.min(Math.round((fullHeight * w) / fullWidth), Math.round(w * MAX_PORTRAIT));
    const resized = await sharp(upright.data, raw).resize({ width: w, height: h, fit: 'cover', position: 'attention' }).toBuffer({ resolveWithObject: true });
    const pixels = sharp(resized.data, { raw: { width: resized.info.width, height: resized.info.height, channels: resized.info.channels } });
    const budget = BYTE_BUDGET[PHOTO_WIDTHS.find((pw) => pw >= w) ?? 1600];
    const webp = await withinBudget((q) => pixels.clone().webp({ quality: q, effort: 5 }).toBuffer(), budget);
    const jpeg = await withinBudget((q) => pixels.clone().jpeg({ quality: q, mozjpeg: true }).toBuffer(), budget);
    versions.push({ width: resized.info.width, height: resized.info.height, webp, jpeg });
  }
  const stats = await sharp(versions[0].jpeg).stats();
  const hex = (n: number) => n.toString(16).padStart(2, '0');
  const colour = `#${hex(stats.dominant.r)}${hex(stats.dominant.g)}${hex(stats.dominant.b)}`;
  const hash = createHash('sha256').update(versions[versions.length - 1].jpeg).digest('hex').slice(0, 32);
  return { format, versions, colour, hash };
}

/** The first encoding at the QUALITIES that fits `budget` bytes, else the smallest one tried. */
async function withinBudget(encode: (quality: number) => Promise<Buffer>, budget: number): Promise<Buffer> {
  let smallest: Buffer | null = null;
  for (const q of QUALITIES) {
    const out = await encode(q);
    if (out.length <= budget) return out;
    if (!smallest || out.length < smallest.length) smallest = out;
  }
  return smallest!;
}

/** The image type a file name's extension names (`photo.JPG` → jpeg), or null for any other name. */
export function namedFormat(filename: string): PhotoFormat | null {
  const ext = /\.([A-Za-z]+)$/.exec(filename)?.[1]?.toLowerCase();
  if (ext === 'jpg' || ext === 'jpeg' || ext === 'jpe') return 'jpeg';
  if (ext === 'png') return 'png';
  if (ext === 'webp') return 'webp';
  return null;
}
