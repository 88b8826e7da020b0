import type { Target } from '../target.entity';

/** A target written as it is (the demo seed). */
export type SeededTargetDto = Partial<Omit<Target, 'id' | 'campaignId' | 'createdAt'>> & Pick<Target, 'name' | 'email' | 'locale'>;
