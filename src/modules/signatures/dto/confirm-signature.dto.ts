import { IsString } from 'class-validator';

export class ConfirmSignatureDto {
  /** The token from the confirmation link. Any string: a wrong one, of any length, is 404 TOKEN_INVALID. */
  @IsString()
  token: string;
}
