import type { SmsUpdateParams } from './provider.js';
import { compact, fitLines } from './render.js';
import { bodyBudget } from './segments.js';
import { isReplyInstruction, smsTexts, statusUpdateLine } from './texts.js';

/** Segments a whole update may use when it travels as free text or in one long variable. */
export const DEFAULT_UPDATE_SEGMENTS = 3;

/**
 * How a provider's approved templates can carry a work-order update:
 * - `status` has a content variable (`contentVariableMax` characters at most): ${code}, ${status}
 *   and the update squeezed into that variable;
 * - otherwise, when the update has text and a `reply` template (one variable for a whole answer)
 *   is approved, the whole update goes in it;
 * - otherwise only ${code} and ${status}.
 */
export type UpdateTemplateChoice = { template: 'status'; content?: string } | { template: 'reply'; content: string };

export interface UpdateTemplateOptions {
  templates: { reply?: string; status?: string };
  /** Set when the status template has a content variable; its longest value. */
  contentVariableMax?: number;
  /** Length of the signature the gateway prepends (【…】). */
  signatureLength: number;
  maxSegments?: number;
}

export function chooseUpdateTemplate(update: SmsUpdateParams, o: UpdateTemplateOptions): UpdateTemplateChoice {
  if (o.templates.status && o.contentVariableMax) {
    return { template: 'status', content: updateAsVariable(update, o.contentVariableMax) };
  }
  if (update.text && o.templates.reply) {
    const budget = bodyBudget(o.maxSegments ?? DEFAULT_UPDATE_SEGMENTS, o.signatureLength);
    return { template: 'reply', content: updateAsText(update, budget) };
  }
  return { template: 'status' };
}

/** The whole update as one text of at most `budget` characters, the reply instructions kept. */
export function updateAsText(update: SmsUpdateParams, budget: number, optOutHint = false): string {
  const lines = update.text ? compact(update.text).split('\n') : [statusUpdateLine(update.code, update.status)];
  return fitLines(optOutHint ? [...lines, smsTexts.optOutHint] : lines, budget);
}

/**
 * The update for a content variable beside ${code} and ${status}: what restates them is left out
 * (the ticket number, "已办结。"), the return-visit question becomes one short line, and the rest
 * is cut to the variable's length. Never empty (gateways refuse an empty variable).
 */
export function updateAsVariable(update: SmsUpdateParams, max: number): string {
  const bare = (s: string) => s.replace(/[\s。，,.!！：:；;]/g, '');
  const lines: string[] = [];
  for (const line of compact(update.text ?? '').split('\n')) {
    const at = line.indexOf(update.code);
    const rest = at >= 0 ? line.slice(at + update.code.length).trim() : line;
    if (!bare(rest) || bare(rest) === bare(update.status)) continue;
    // The rating line is rewritten short below; another reply instruction is kept as it is.
    if (update.choices?.length && isReplyInstruction(rest) && update.choices.every((c) => rest.includes(c))) continue;
    lines.push(rest);
  }
  if (update.choices?.length) lines.push(smsTexts.rateBy(update.choices));
  // A template variable has no room for the pointer to the website: a plain "…" marks the cut.
  return fitLines(lines.length ? lines : [update.status], max, ' ', smsTexts.cut);
}
