import { Transform } from 'class-transformer';
import { trimSpaces } from './trim';

/**
 * The bidirectional embeddings, overrides and isolates: LRE, RLE, PDF, LRO, RLO (U+202A–U+202E)
 * and LRI, RLI, FSI, PDI (U+2066–U+2069). Each changes the direction of the text after it until
 * its terminator, so one left open in a name ("\u202E…") reverses whatever it is shown beside
 * ("… via Nida" in a letter's From). No name, city or comment needs them: the pages isolate each
 * value themselves (<bdi>).
 *
 * Kept, on purpose: the marks LRM, RLM and ALM (U+200E, U+200F, U+061C), which change no text
 * beyond their neighbouring punctuation and which Arabic and Persian typists use to place it;
 * and ZWNJ/ZWJ (U+200C, U+200D), which Persian and Arabic spelling needs.
 */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/** The text without bidi embeddings, overrides and isolates. */
export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

/**
 * For text a supporter types (name, city, comment): bidi controls removed, then spaces trimmed
 * (spaces only: a leading tab or line break stays for the validators to refuse).
 */
export const SupporterText = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? supporterText(value) : value));

/** What SupporterText makes of a string: bidi controls removed, then spaces trimmed. */
export function supporterText(value: string): string {
  return trimSpaces(stripBidiControls(value));
}
