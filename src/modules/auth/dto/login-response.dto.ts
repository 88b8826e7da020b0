export class LoginResponseDto {
  /** Bearer token for the Authorization header. */
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds until the token expires. */
  expiresIn: number;
}
