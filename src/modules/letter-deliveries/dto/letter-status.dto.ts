/** A letter's delivery statuses, for other modules (the console's filter and labels): the entity's own list, not a copy. */
export { LETTER_STATUSES, type LetterStatus } from '../letter.entity';
