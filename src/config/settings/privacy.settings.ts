import { registerDecorator } from 'class-validator';
import { parseDataKeys } from '../data-keys';
import { ChoiceSetting, Setting } from '../setting.decorators';

/** DATA_KEYS's syntax and key lengths (see parseDataKeys); the message names the entry, never a key. */
const isDataKeys: PropertyDecorator = (target, property) =>
  registerDecorator({
    name: 'isDataKeys',
    target: target.constructor,
    propertyName: String(property),
    options: {
      message: ({ value }) => {
        if (typeof value !== 'string') return 'DATA_KEYS is required in production';
        const parsed = parseDataKeys(value);
        return 'problem' in parsed ? parsed.problem : '';
      },
    },
    validator: { validate: (value: unknown) => typeof value === 'string' && 'keys' in parseDataKeys(value) },
  });

/** Supporters' data: the keys that encrypt it at rest. */
export class PrivacySettings {
  /**
   * Keys that encrypt supporters' email, name, city and comment (AES-256-GCM): `id:base64key`
   * entries separated by commas; the first encrypts, all decrypt. Required in production (a key
   * derived from APP_SECRET elsewhere). Lose them and that data is unreadable: back them up.
   */
  @Setting([isDataKeys], { optional: true, hidden: true }) DATA_KEYS?: string;

  /** `off` stores supporters' data unencrypted (marked `plain`), only to measure encryption's cost; refused in production. */
  @ChoiceSetting(['on', 'off']) DATA_ENCRYPTION: 'on' | 'off' = 'on';
}
