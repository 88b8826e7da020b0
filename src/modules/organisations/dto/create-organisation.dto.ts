import { Trim } from '../../../common/trim';
import { IsString, MaxLength, MinLength } from 'class-validator';


export class CreateOrganisationDto {
  @Trim()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name: string;
}
