import type { Reply } from '../../bot/message.js';

/** What an update can put into a template field. */
export const templateValueNames = ['code', 'status', 'text', 'time'] as const;
export type TemplateValueName = (typeof templateValueNames)[number];

/** The operator's template for work-order updates (the fallback when the customer-service window is closed). */
export interface WechatUpdateTemplate {
  templateId: string;
  /** Template keyword (e.g. `character_string1`, `thing2`, `keyword1`) → the value it shows. */
  fields: Record<string, TemplateValueName>;
  /** Link opened from the message; `{code}` is replaced with the ticket number. */
  url?: string;
  /** Time zone of `time` values (the hotline's). */
  timeZone: string;
}

export const DEFAULT_TEMPLATE_FIELDS = 'character_string1=code,phrase2=status,time3=time';

const fieldPattern = /^([a-z][a-z_]*\d*)=([a-z]+)$/;

/**
 * Parses `key=value,key=value` (e.g. `character_string1=code,phrase2=status,time3=time`); returns
 * the mapping or the problem with the first bad pair.
 */
export function parseTemplateFields(spec: string): Record<string, TemplateValueName> | string {
  const fields: Record<string, TemplateValueName> = {};
  for (const pair of spec.split(',').map((p) => p.trim())) {
    const match = fieldPattern.exec(pair);
    if (!match) return `"${pair}" is not KEYWORD=VALUE`;
    const [, key, value] = match;
    if (!(templateValueNames as readonly string[]).includes(value!)) {
      return `"${value}" is not one of ${templateValueNames.join(', ')}`;
    }
    fields[key!] = value as TemplateValueName;
  }
  return Object.keys(fields).length ? fields : 'no fields';
}

/**
 * The platform refuses values longer than a keyword type allows (thing: 20 characters, phrase: 5,
 * character_string and number: 32, name: 10); older templates (first, keywordN, remark) take more.
 */
const maxLengthByType: [RegExp, number][] = [
  [/^thing\d*$/, 20],
  [/^phrase\d*$/, 5],
  [/^(character_string|number|letter|symbol|car_number)\d*$/, 32],
  [/^name\d*$/, 10],
  [/^amount\d*$/, 20],
];

function fit(key: string, value: string): string {
  const max = maxLengthByType.find(([pattern]) => pattern.test(key))?.[1] ?? 200;
  const chars = [...value];
  return chars.length <= max ? value : `${chars.slice(0, max - 1).join('')}…`;
}

function formatTime(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}年${parts.month}月${parts.day}日 ${parts.hour}:${parts.minute}`;
}

/** The template's `data` for one update (values cut to what each keyword type accepts). */
export function templateData(template: WechatUpdateTemplate, update: Reply, at: Date): Record<string, string> {
  const values: Record<TemplateValueName, string> = {
    code: update.ticket?.code ?? '',
    status: update.ticket?.statusLabel ?? update.ticket?.status ?? '',
    // One line: template values are shown on a single row.
    text: update.text.replace(/\s+/g, ' ').trim(),
    time: formatTime(at, template.timeZone),
  };
  return Object.fromEntries(Object.entries(template.fields).map(([key, name]) => [key, fit(key, values[name])]));
}

export function templateUrl(template: WechatUpdateTemplate, update: Reply): string | undefined {
  return template.url?.replaceAll('{code}', encodeURIComponent(update.ticket?.code ?? ''));
}
