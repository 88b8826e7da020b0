import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { LETTER_MODES } from './letter-mode';
import { LOCALES } from './locale';

/**
 * OpenAPI metadata the swagger CLI plugin cannot infer. The plugin reads types, but a union alias
 * imported as a type (`Locale`, `CampaignKind`) reaches it as `object`, and a `Record<…>` as an
 * empty object; these name the values instead. Checked by test/e2e/process-openapi.e2e-spec.ts.
 */
export const enumOf = (values: readonly string[], example: string) => (options: ApiPropertyOptions = {}) =>
  ApiProperty({ enum: [...values], example, ...options } as ApiPropertyOptions);

export const ApiLocale = enumOf(LOCALES, 'ar');
export const ApiLetterMode = enumOf(LETTER_MODES, 'per_signature');
export const ApiEnum = (values: readonly string[], options: ApiPropertyOptions = {}) => enumOf(values, values[0])(options);
