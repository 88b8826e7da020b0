import { crc32 } from 'node:zlib';
import sharp from 'sharp';

/**
 * Pixels with the detail of a real photo (random shapes at two scales and a Gaussian grain, mixed
 * by sharp), so that encoded sizes are like a photo's rather than a flat test card's.
 */
export async function photoPixels(width: number, height: number): Promise<Buffer> {
  const layer = async (scale: number) => {
    const w = Math.ceil(width / scale);
    const h = Math.ceil(height / scale);
    const seed = Buffer.alloc(w * h * 3);
    for (let i = 0; i < seed.length; i++) seed[i] = (Math.random() * 255) | 0;
    return sharp(seed, { raw: { width: w, height: h, channels: 3 } }).resize(width, height, { kernel: 'cubic' }).png({ compressionLevel: 0 }).toBuffer();
  };
  const grain = await sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
    .png({ compressionLevel: 0 })
    .toBuffer();
  return sharp(await layer(64))
    .composite([
      { input: await layer(12), blend: 'soft-light' },
      { input: grain, blend: 'soft-light' },
    ])
    .removeAlpha()
    .raw()
    .toBuffer();
}

/** A photo-like JPEG carrying EXIF with a GPS position and the camera, an ICC profile (P3) and XMP naming its author. */
export async function jpegWithGps(width = 1200, height = 900): Promise<Buffer> {
  const raw = await photoPixels(width, height);
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 85 })
    .withExif({
      IFD0: { Make: 'PhoneCo', Model: 'X1', Artist: 'Photographer Name' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '33/1 18/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '44/1 22/1 0/1' },
    })
    .withIccProfile('p3')
    .withXmp(
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Photographer Name</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>',
    )
    .toBuffer();
}

/** Whether EXIF holds the GPSInfo tag (0x8825), in either byte order. */
export function exifHasGps(exif: Buffer | undefined): boolean {
  return !!exif && (exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88])));
}

/** A small PNG photo (for the "PNG named .jpg" case). */
export function png(width = 800, height = 600): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#3a6b8c' } }).png().toBuffer();
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/** A tiny PNG whose header claims `width` × `height` pixels: a decompression bomb's shape (a few dozen bytes). */
export function pngClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', Buffer.alloc(0)), chunk('IEND', Buffer.alloc(0))]);
}

/** Metadata blocks sharp finds in an image: none must be present in anything Nida serves. */
export async function metadataBlocks(image: Buffer): Promise<string[]> {
  const m = await sharp(image).metadata();
  return (['exif', 'icc', 'xmp', 'iptc', 'tifftagPhotoshop'] as const).filter((k) => m[k] !== undefined);
}
