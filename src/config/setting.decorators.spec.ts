import { Transform, plainToInstance } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsString, Matches, Max, MaxLength, Min, MinLength, validateSync } from 'class-validator';
import { EnvironmentError } from './environment-error';
import {
  BoolSetting,
  ChoiceSetting,
  IntSetting,
  PatternSetting,
  TextSetting,
  settingsOf,
  toBool,
  toInt,
  validateSettings,
} from './setting.decorators';

/** What class-validator makes of `value` for property V of `cls`: the value after transforming, and each message in order. */
const outcome = (cls: new () => object, value: string | undefined) => {
  const instance = plainToInstance(cls, value === undefined ? {} : { V: value }, { exposeDefaultValues: true }) as { V?: unknown };
  const errors = validateSync(instance);
  return { value: instance.V, messages: errors.flatMap((e) => Object.values(e.constraints ?? {})) };
};

/** `composite` answers every value exactly as the decorator stack it replaces (`byHand`) does. */
const expectSameAs = (byHand: new () => object, composite: new () => object, values: (string | undefined)[]) => {
  for (const value of values) expect([value, outcome(composite, value)]).toEqual([value, outcome(byHand, value)]);
};

const problemsOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(EnvironmentError);
    return (error as EnvironmentError).problems;
  }
  throw new Error('no EnvironmentError');
};

describe('composite setting decorators', () => {
  it('@IntSetting converts and checks as @Transform(toInt) @IsInt() @Min() @Max() did', () => {
    class ByHand {
      @Transform(toInt)
      @IsInt()
      @Min(1)
      @Max(10)
      V = 5;
    }
    class Composite {
      @IntSetting({ min: 1, max: 10 }) V = 5;
    }
    expectSameAs(ByHand, Composite, [undefined, '7', ' 3 ', '0', '11', '-4', 'x', '1.5', '1e3', '']);
    expect(outcome(Composite, ' 3 ').value).toBe(3);
    expect(outcome(Composite, 'x').messages).toEqual(['V must not be greater than 10', 'V must not be less than 1', 'V must be an integer number']);
  });

  it('@IntSetting without a maximum has no @Max', () => {
    class ByHand {
      @Transform(toInt)
      @IsInt()
      @Min(0)
      V = 1;
    }
    class Composite {
      @IntSetting({ min: 0 }) V = 1;
    }
    expectSameAs(ByHand, Composite, ['0', '99999999999', '-1', 'x']);
  });

  it('@BoolSetting reads 1/0, yes/no, on/off, true/false as @Transform(toBool) @IsBoolean() did', () => {
    class ByHand {
      @Transform(toBool)
      @IsBoolean()
      V = true;
    }
    class Composite {
      @BoolSetting() V = true;
    }
    expectSameAs(ByHand, Composite, ['1', '0', 'yes', 'NO', ' on ', 'off', 'true', 'False', 'maybe', '2']);
    expect([toBool({ value: 'Yes' }), toBool({ value: 'off' }), toBool({ value: 'maybe' })]).toEqual([true, false, 'maybe']);
    expect([toInt({ value: '-12' }), toInt({ value: '12px' })]).toEqual([-12, '12px']);
  });

  it('@TextSetting checks type and length with the messages given, in the same order', () => {
    class ByHand {
      @IsString({ message: 'V is required here' })
      @MinLength(12, { message: 'V must be at least 12 characters' })
      @MaxLength(256)
      V: string;
    }
    class Composite {
      @TextSetting({ minLength: 12, maxLength: 256, messages: { missing: 'V is required here', tooShort: 'V must be at least 12 characters' } }) V: string;
    }
    expectSameAs(ByHand, Composite, [undefined, 'short', 'long enough now', 'x'.repeat(257)]);
    class Plain {
      @IsString()
      @MinLength(3)
      V = 'abc';
    }
    class PlainComposite {
      @TextSetting({ minLength: 3 }) V = 'abc';
    }
    expectSameAs(Plain, PlainComposite, [undefined, 'ab', 'abcd']);
  });

  it('@PatternSetting and @ChoiceSetting keep their one validator and message', () => {
    class ByHand {
      @Matches(/^a+$/, { message: 'V must be a run of a' })
      V = 'a';
    }
    class Composite {
      @PatternSetting(/^a+$/, 'V must be a run of a') V = 'a';
    }
    expectSameAs(ByHand, Composite, ['aaa', 'ab', undefined]);
    class ChoiceByHand {
      @IsIn(['x', 'y'])
      V = 'x';
    }
    class ChoiceComposite {
      @ChoiceSetting(['x', 'y']) V = 'x';
    }
    expectSameAs(ChoiceByHand, ChoiceComposite, ['y', 'z', undefined]);
  });

  describe('a settings class', () => {
    class Sample {
      /** A counter. */
      @IntSetting({ min: 1 }) COUNT = 2;

      /** A secret without a default. */
      @TextSetting({ minLength: 4, messages: { missing: 'KEY is required here' }, optional: true, hidden: true }) KEY?: string;
    }

    it('lists its settings in declaration order, with their options', () => {
      expect(settingsOf(Sample)).toEqual([
        { name: 'COUNT', optional: false, hidden: false },
        { name: 'KEY', optional: true, hidden: true },
      ]);
    });

    it('reads only its own variables; an empty one is unset', () => {
      const settings = validateSettings(Sample, { COUNT: '', OTHER: 'x', KEY: 'long enough' });
      expect(settings).toBeInstanceOf(Sample);
      expect({ ...settings }).toEqual({ COUNT: 2, KEY: 'long enough' });
    });

    it('checks an optional setting only when set, or when demanded', () => {
      expect(validateSettings(Sample, {}).KEY).toBeUndefined();
      expect(problemsOf(() => validateSettings(Sample, { KEY: 'abc' }))).toEqual(['KEY=(hidden): KEY must be longer than or equal to 4 characters']);
      expect(problemsOf(() => validateSettings(Sample, {}, { demand: ['KEY'] }))).toEqual([
        'KEY=(hidden): KEY must be longer than or equal to 4 characters; KEY is required here',
      ]);
    });

    it('names each bad variable, showing the value unless hidden', () => {
      expect(problemsOf(() => validateSettings(Sample, { COUNT: '0', KEY: 'no' }))).toEqual([
        'COUNT=0: COUNT must not be less than 1',
        'KEY=(hidden): KEY must be longer than or equal to 4 characters',
      ]);
    });
  });
});
