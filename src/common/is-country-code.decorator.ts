import { registerDecorator, ValidationOptions } from 'class-validator';
import { isCountryCode } from './countries';

/** An ISO 3166-1 alpha-2 code that really is assigned (upper case). */
export function IsCountryCode(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCountryCode',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be an ISO 3166-1 alpha-2 country code`, ...options },
      validator: { validate: (value: unknown) => isCountryCode(value) },
    });
}
