import { IsOptional, IsString } from 'class-validator';

/**
 * `PATCH …/image`: the photo's texts, replaced together as an upload sets them. Both alt texts are
 * required (what the photo shows, for people who cannot see it; up to 300 characters each), the
 * credit optional (up to 200; empty or absent removes it). MediaService checks the lengths, with
 * the same messages as an upload's.
 */
export class ImageTextsDto {
  /** What the photo shows, in Arabic. */
  @IsString()
  altAr: string;

  /** What the photo shows, in English. */
  @IsString()
  altEn: string;

  /** Who took it. */
  @IsOptional()
  @IsString()
  credit?: string;
}
