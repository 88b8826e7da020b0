import { applyDecorators } from '@nestjs/common';
import { Transform, plainToInstance } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsString,
  IsTimeZone,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  registerDecorator,
  validateSync,
} from 'class-validator';
import { EnvironmentError } from './environment-error';
import { isCronPattern } from './environment.rules';

/*
 * One decorator per setting. Each marks the property as a setting read from the environment
 * variable of the same name and applies the class-transformer / class-validator stack that
 * setting kind always had, in the same order, so the messages stay word for word what they were.
 */

/** "42" → 42; anything else is left for @IsInt to refuse. */
export const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;

/** 1/true/yes/on and 0/false/no/off, any case; anything else is left for @IsBoolean to refuse. */
export const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return value;
};

export interface SettingOptions {
  /** No default: the setting stays unset (undefined) unless its variable is set or a rule in environment.rules.ts demands it. */
  optional?: boolean;
  /** A secret, or a URL that may hold one: messages show `(hidden)` instead of the value. */
  hidden?: boolean;
}

export interface SettingInfo {
  /** The property, which is also the environment variable's name. */
  name: string;
  optional: boolean;
  hidden: boolean;
}

export type SettingsClass<T extends object = object> = new () => T;

const DECLARED = new WeakMap<object, SettingInfo[]>();
const DEMANDED = new WeakMap<object, ReadonlySet<string>>();

/** The settings a class declares, in declaration order. */
export function settingsOf(cls: SettingsClass): readonly SettingInfo[] {
  return DECLARED.get(cls) ?? [];
}

/**
 * Applies `decorators` as if they were written one above the other in this order over the
 * property (TypeScript applies the lowest first; class-validator lists messages in that order).
 */
export function stack(...decorators: PropertyDecorator[]): PropertyDecorator {
  return applyDecorators(...[...decorators].reverse()) as PropertyDecorator;
}

/** The base of every setting decorator: registers the setting, then applies `validators` (top to bottom). */
export function Setting(validators: PropertyDecorator[], options: SettingOptions = {}): PropertyDecorator {
  return (target, property) => {
    const name = String(property);
    const declared = DECLARED.get(target.constructor) ?? [];
    declared.push({ name, optional: options.optional === true, hidden: options.hidden === true });
    DECLARED.set(target.constructor, declared);
    const onlyWhenSetOrDemanded = ValidateIf((settings: object, value: unknown) => value !== undefined || DEMANDED.get(settings)?.has(name) === true);
    stack(...(options.optional ? [onlyWhenSetOrDemanded] : []), ...validators)(target, property);
  };
}

/** A whole number (from its decimal text) within [min, max]. */
export function IntSetting(options: SettingOptions & { min?: number; max?: number } = {}): PropertyDecorator {
  const { min, max } = options;
  return Setting([Transform(toInt), IsInt(), ...(min === undefined ? [] : [Min(min)]), ...(max === undefined ? [] : [Max(max)])], options);
}

/** true/false, also written 1/0, yes/no, on/off. */
export function BoolSetting(options: SettingOptions = {}): PropertyDecorator {
  return Setting([Transform(toBool), IsBoolean()], options);
}

/** One of `values`. */
export function ChoiceSetting(values: readonly string[], options: SettingOptions = {}): PropertyDecorator {
  return Setting([IsIn(values)], options);
}

/** Text of [minLength, maxLength] characters; `messages.missing` is said when a demanded one is unset. */
export function TextSetting(
  options: SettingOptions & { minLength?: number; maxLength?: number; messages?: { missing?: string; tooShort?: string } } = {},
): PropertyDecorator {
  const { minLength, maxLength, messages = {} } = options;
  return Setting(
    [
      IsString(messages.missing === undefined ? undefined : { message: messages.missing }),
      ...(minLength === undefined ? [] : [MinLength(minLength, messages.tooShort === undefined ? undefined : { message: messages.tooShort })]),
      ...(maxLength === undefined ? [] : [MaxLength(maxLength)]),
    ],
    options,
  );
}

/** Text matching `pattern`; `message` says what was expected (it is the whole message). */
export function PatternSetting(pattern: RegExp, message: string, options: SettingOptions = {}): PropertyDecorator {
  return Setting([Matches(pattern, { message })], options);
}

/** An email address. */
export function EmailSetting(message: string, options: SettingOptions = {}): PropertyDecorator {
  return Setting([IsEmail({}, { message })], options);
}

/** An IANA time zone name. */
export function TimeZoneSetting(message: string, options: SettingOptions = {}): PropertyDecorator {
  return Setting([IsTimeZone({ message })], options);
}

/** A cron line BullMQ can schedule (see isCronPattern). */
export function CronSetting(message: string, options: SettingOptions = {}): PropertyDecorator {
  const isCron: PropertyDecorator = (target, property) =>
    registerDecorator({ name: 'isCronPattern', target: target.constructor, propertyName: String(property), options: { message }, validator: { validate: isCronPattern } });
  return Setting([isCron], options);
}

/**
 * Builds one settings class from the environment (its own variables only; an empty one counts
 * as unset) and checks it: the settings, and one line per bad variable, naming it.
 * `demanded`: optional settings to check even when unset (see demandedSettings).
 */
export function checkSettings<T extends object>(
  cls: SettingsClass<T>,
  raw: Readonly<Record<string, string | undefined>>,
  demanded: ReadonlySet<string> = new Set(),
): { settings: T; problems: string[] } {
  const declared = settingsOf(cls);
  const input: Record<string, string> = {};
  for (const { name } of declared) {
    const value = raw[name];
    if (value !== undefined && value !== '') input[name] = value;
  }
  const settings = plainToInstance(cls, input, { exposeDefaultValues: true });
  DEMANDED.set(settings, demanded);
  const errors = validateSync(settings, { skipMissingProperties: false });
  DEMANDED.delete(settings);
  const hidden = new Set(declared.filter((s) => s.hidden).map((s) => s.name));
  const problems = errors.map((e) => {
    const shown = hidden.has(e.property) ? '(hidden)' : JSON.stringify(e.value);
    return `${e.property}=${shown}: ${Object.values(e.constraints ?? {}).join('; ')}`;
  });
  return { settings, problems };
}

/**
 * One concern's settings on their own (a test, a script that needs only the database): the same
 * checks and messages as at boot, without the rules that span concerns. Throws an EnvironmentError.
 */
export function validateSettings<T extends object>(
  cls: SettingsClass<T>,
  raw: Readonly<Record<string, string | undefined>>,
  options: { demand?: Iterable<string> } = {},
): T {
  const { settings, problems } = checkSettings(cls, raw, new Set(options.demand ?? []));
  if (problems.length > 0) throw new EnvironmentError(problems);
  return settings;
}
