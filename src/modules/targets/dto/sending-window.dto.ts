import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsInt, IsString, Matches, Max, Min, Validate, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';

@ValidatorConstraint({ name: 'isTimeZone' })
class IsTimeZone implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string' || !/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(value)) return false;
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
      return true;
    } catch {
      return false;
    }
  }

  defaultMessage(): string {
    return 'timeZone must be an IANA time zone such as Asia/Baghdad';
  }
}

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Office hours: letters to this target go out only between `start` and `end`, on `days`, in `timeZone`. */
export class SendingWindowDto {
  @IsString()
  @Validate(IsTimeZone)
  timeZone: string;

  /** HH:MM, local time. */
  @Matches(HH_MM, { message: 'start must be HH:MM' })
  start: string;

  /** HH:MM, local time, after start. */
  @Matches(HH_MM, { message: 'end must be HH:MM' })
  end: string;

  /** ISO weekdays, 1 = Monday … 7 = Sunday (Iraq's working week: 7, 1, 2, 3, 4). */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  days: number[];
}
