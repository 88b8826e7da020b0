import type { ValueTransformer } from 'typeorm';

/**
 * A PostgreSQL `bigint` (which `pg` hands over as a string) read as a number: for counters, which
 * stay far below 2^53. Ids and anything that could grow past that stay strings.
 */
export const BIGINT_AS_NUMBER: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
