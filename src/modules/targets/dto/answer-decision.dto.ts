import { IsBoolean, IsOptional } from 'class-validator';

/** Approving an official's answer: whether its text appears on the campaign page (default: no). */
export class ApproveAnswerDto {
  @IsOptional()
  @IsBoolean()
  public?: boolean;
}

/** Showing an approved answer's text on the campaign page, or not. */
export class AnswerVisibilityDto {
  @IsBoolean()
  public: boolean;
}
