import { Transform } from 'class-transformer';
import { IsString, MaxLength, MinLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateOrganisationDto {
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name: string;
}
