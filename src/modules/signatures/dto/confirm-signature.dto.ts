import { IsString, MaxLength } from 'class-validator';

export class ConfirmSignatureDto {
  /** The token from the confirmation link. */
  @IsString()
  @MaxLength(200)
  token: string;
}
