import { ApiProperty } from '@nestjs/swagger';

/** One size of the photo, as WebP and as JPEG (absolute URLs on the API, paths on pages). */
export class ImageVersionDto {
  width: number;
  height: number;
  webp: string;
  jpeg: string;
  /** Sizes of the two files in bytes. */
  webpBytes: number;
  jpegBytes: number;
}

export class ImageAltDto {
  ar: string;
  en: string;
}

/** A campaign's photo: its sizes, its alternative text in each language, its credit. */
export class PublicImageDto {
  /** The largest version's size (the photo's proportions). */
  width: number;
  height: number;
  /** The photo's dominant colour, `#rrggbb`: shown while it loads. */
  @ApiProperty({ example: '#6a5a4c' })
  colour: string;
  @ApiProperty({ type: () => ImageAltDto })
  alt: ImageAltDto;
  @ApiProperty({ type: String, nullable: true })
  credit: string | null;
  /** Smallest first. */
  @ApiProperty({ type: () => [ImageVersionDto] })
  versions: ImageVersionDto[];
}

/** The campaign's share card (link previews): a 1200 × 630 PNG. */
export class ShareCardDto {
  url: string;
  width: number;
  height: number;
  /** What the card says, in the campaign's language. */
  alt: string;
}

/** The photo and card of a campaign, as the public API and pages show them. */
export class CampaignMediaDto {
  @ApiProperty({ type: () => PublicImageDto, nullable: true })
  image: PublicImageDto | null;
  @ApiProperty({ type: () => ShareCardDto, nullable: true })
  shareCard: ShareCardDto | null;
}
