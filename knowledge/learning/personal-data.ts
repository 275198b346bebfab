import { maskPhonesInText } from '../../personal-data/phone.js';

/** Resident ID numbers: 18 characters (17 digits and a digit or X) or the old 15 digits. */
const idCardPattern = /(?<![\dA-Za-z])(?:\d{17}[\dXx]|\d{15})(?![\dA-Za-z])/g;
const maskedIdCardPattern = /(?<![\dA-Za-z])\d{6}\*{5,8}\d{3}[\dXx](?![\dA-Za-z])/g;
/** A phone number as masked by maskPhonesInText (138****5678, 0571-****6666). */
const maskedPhonePattern = /(?<!\d)(?:1[3-9]\d\*{4}\d{4}|0\d{2,3}-\*{4}\d{4})(?!\d)/g;
/** The words citizens put before a number: 我家手机, 电话是, 身份证号：. */
const label = String.raw`(?:(?:我的|我家|本人|我)?(?:手机号码|手机号|手机|电话号码|联系电话|电话|联系方式|身份证号码|身份证号|身份证)(?:是|为|[:：])?\s*)?`;

/**
 * Masks phone and ID-card numbers in a citizen's text (for the inbox: staff see that a number
 * was given, never the number). Idempotent: masked text stays as it is.
 */
export function maskPersonalData(text: string): string {
  // Full-width digits (from some input methods) are numbers too; the rest of the text is left as written.
  const digits = text.replace(/[０-９Ｘｘ]/g, (c) => c.normalize('NFKC'));
  // An ID card is 15 or 18 digits, so no phone pattern (11 digits, or a landline) matches inside it.
  const withoutIds = digits.replace(
    idCardPattern,
    (id) => `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`,
  );
  return maskPhonesInText(withoutIds);
}

/**
 * Removes phone and ID-card numbers (as written or masked) with the words that introduce them,
 * for text that becomes part of a knowledge entry: a similar question must never carry a citizen's number.
 */
export function removePersonalData(text: string): string {
  const masked = maskPersonalData(text);
  return masked
    .replace(new RegExp(`${label}(?:${maskedIdCardPattern.source}|${maskedPhonePattern.source})`, 'g'), '')
    .replace(/[，,、；;:：\s]+([。？?！!]*)$/u, '$1')
    .replace(/^[，,、；;:：\s]+/u, '')
    .replace(/([，,、；;])[，,、；;\s]+/gu, '$1')
    .trim();
}
