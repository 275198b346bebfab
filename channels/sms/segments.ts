/** One message holds 70 characters; a longer text is sent in segments of 67 (China's carriers). */
export const SINGLE_LIMIT = 70;
export const SEGMENT_LIMIT = 67;

/** Characters as carriers count them: every code point is one, Chinese or not. */
export const smsLength = (text: string) => [...text].length;

export function smsSegments(text: string): number {
  const length = smsLength(text);
  return length <= SINGLE_LIMIT ? 1 : Math.ceil(length / SEGMENT_LIMIT);
}

/** Characters available for the body when the signature (【…】) is prepended and `segments` may be used. */
export function bodyBudget(segments: number, signatureLength: number): number {
  return (segments <= 1 ? SINGLE_LIMIT : segments * SEGMENT_LIMIT) - signatureLength;
}
