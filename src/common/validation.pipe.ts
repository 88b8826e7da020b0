import { ArgumentMetadata, ValidationError, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { CommonErrors, ErrorDetail } from './app-error';

/** Flattens nested class-validator errors into one entry per bad field (`translations.ar.title`). */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      out.push({ field: field || '(body)', problems: Object.values(error.constraints) });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/**
 * A DTO's check compiled by hand for a hot route: the DTO instance, exactly as the full pipe would
 * make it, when the body is certainly valid; null for anything else (the full pipe then decides, so
 * every refusal keeps its code and wording). Its spec compares it with the full pipe on many bodies.
 */
export type CompiledCheck<T> = (body: unknown) => T | null;

const COMPILED = new Map<unknown, CompiledCheck<unknown>>();

/** Registers a DTO's compiled check (at most one per class), used for request bodies of that class. */
export function registerCompiledCheck<T>(type: abstract new () => T, check: CompiledCheck<T>): void {
  if (COMPILED.has(type)) throw new Error(`${type.name} has a compiled check already`);
  COMPILED.set(type, check);
}

/**
 * The global pipe: a body whose class has a compiled check and passes it is taken as is (no
 * metadata walk, no class-transformer pass: a signature's body costs a fifth as much); everything
 * else goes through class-validator.
 */
class NidaValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body') {
      const dto = COMPILED.get(metadata.metatype)?.(value);
      if (dto !== undefined && dto !== null) return dto;
    }
    return super.transform(value, metadata);
  }
}

/** Whitelist, reject unknown fields, transform to DTO classes, and answer in the common error shape. */
export function createValidationPipe(): ValidationPipe {
  return new NidaValidationPipe(VALIDATION_OPTIONS);
}

/** The options of the global pipe (its spec builds a pipe without compiled checks from them). */
export const VALIDATION_OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  validationError: { target: false, value: false },
  stopAtFirstError: false,
  exceptionFactory: (errors) => CommonErrors.validation(flattenValidationErrors(errors)),
};
