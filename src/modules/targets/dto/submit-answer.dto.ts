/** An official's answer through the letter's link, as the answer page's form sends it (checked by the service). */
export interface SubmitAnswerDto {
  text: string;
  name: string | null;
  position: string | null;
}

/** The answer form's limits (characters). */
export const ANSWER_LIMITS = { text: 10000, name: 200, position: 200 } as const;
