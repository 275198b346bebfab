/** Mainland mobile numbers, optionally with +86/86 and separators as people type them. */
const mobilePattern = /(?<!\d)(?:\+?86[-\s]?)?(1[3-9]\d)[-\s]?(\d{4})[-\s]?(\d{4})(?!\d)/g;
/** Landlines with area code as people write them: 0571-88886666, (0571)88886666, 0571 8888 6666. */
const landlinePattern = /(?<!\d)[(（]?(0\d{2,3})[)）]?[-\s]?(\d{3,4})[-\s]?(\d{4})(?!\d)/g;

/** Finds the first phone number in free text, normalised to digits only. */
export function extractPhone(text: string): string | undefined {
  const normalised = text.normalize('NFKC');
  const mobile = new RegExp(mobilePattern.source).exec(normalised);
  if (mobile) return `${mobile[1]}${mobile[2]}${mobile[3]}`;
  const landline = new RegExp(landlinePattern.source).exec(normalised);
  return landline ? `${landline[1]}${landline[2]}${landline[3]}` : undefined;
}

export function maskPhone(phone: string): string {
  if (phone.length <= 7) return phone.replace(/\d(?=\d{2})/g, '*');
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

/** Masks every phone number inside free text (for logs and any display to third parties). */
export function maskPhonesInText(text: string): string {
  return text
    .replace(mobilePattern, (_m, a: string, _b: string, c: string) => `${a}****${c}`)
    .replace(landlinePattern, (_m, area: string, _head: string, tail: string) => `${area}-****${tail}`);
}
