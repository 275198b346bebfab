import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

const turnSchema = z.object({
  /** Which session speaks (default "main", the one whose work orders are checked). */
  as: z
    .string()
    .regex(/^[a-z]+$/)
    .default('main'),
  say: z.string().min(1),
  /** The kinds of the replies, in order. */
  kinds: z.array(z.string()).min(1),
  /** Entry ids that must be among the replies' sources. */
  sources: z.array(z.string()).default([]),
  contains: z.array(z.string()).default([]),
  notContains: z.array(z.string()).default([]),
  /** Quick replies that must be offered. */
  choices: z.array(z.string()).default([]),
  /** The answer must come from the Nth quick reply of the previous turn (a clarification picked by number). */
  picks: z.number().int().min(1).optional(),
  /** Remember the ticket number of this turn under a name usable as {name} later. */
  capture: z.string().optional(),
});

export const scenarioSchema = z.object({
  name: z.string().min(1),
  turns: z.array(turnSchema).min(1),
  /** Work orders the main session owns at the end. */
  workOrders: z.number().int().min(0).optional(),
  /** Fields of the main session's only work order. */
  order: z.record(z.string(), z.string()).optional(),
});
export type Scenario = z.infer<typeof scenarioSchema>;

export const scenarioDir = join(import.meta.dirname, '..', 'scenarios');

/** Every scenario of test/scenarios/*.yaml, validated, with the file it came from. */
export function loadScenarios(): (Scenario & { file: string })[] {
  return readdirSync(scenarioDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((file) =>
      z
        .array(scenarioSchema)
        .parse(parse(readFileSync(join(scenarioDir, file), 'utf8')))
        .map((s) => ({ ...s, file })),
    );
}

export interface ScenarioReply {
  kind: string;
  text: string;
  sources: { id: string; question: string }[];
  choices?: string[];
  ticket?: { code: string };
}

export type Send = (sessionId: string, text: string) => Promise<ScenarioReply[]>;

/**
 * Plays a scenario through `send` and checks every turn; throws with the turn and the replies
 * on the first mismatch. Returns the main session's id for checks on the database.
 */
export async function playScenario(scenario: Scenario, sessionPrefix: string, send: Send): Promise<string> {
  const vars = new Map<string, string>();
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (_m, name: string) => vars.get(name) ?? `{${name}}`);
  let previous: ScenarioReply[] = [];
  for (const [index, turn] of scenario.turns.entries()) {
    const said = fill(turn.say);
    const replies = await send(`${sessionPrefix}-${turn.as}`, said);
    const where = `turn ${index + 1} (${turn.as}: ${said}) got ${JSON.stringify(replies, null, 1)}`;
    const fail = (what: string) => {
      throw new Error(`${scenario.name}: ${what} at ${where}`);
    };
    const kinds = replies.map((r) => r.kind);
    if (JSON.stringify(kinds) !== JSON.stringify(turn.kinds)) fail(`expected kinds ${turn.kinds.join(',')}`);
    const text = replies.map((r) => r.text).join('\n');
    for (const piece of turn.contains.map(fill)) if (!text.includes(piece)) fail(`expected text with "${piece}"`);
    for (const piece of turn.notContains.map(fill)) if (text.includes(piece)) fail(`unexpected "${piece}"`);
    const sources = replies.flatMap((r) => r.sources.map((s) => s.id));
    for (const id of turn.sources) if (!sources.includes(id)) fail(`expected source ${id}`);
    const choices = replies.flatMap((r) => r.choices ?? []);
    for (const choice of turn.choices) if (!choices.includes(choice)) fail(`expected choice ${choice}`);
    if (turn.picks !== undefined) {
      const offered = previous.flatMap((r) => r.choices ?? [])[turn.picks - 1];
      const answered = replies.flatMap((r) => r.sources.map((s) => s.question))[0];
      if (!offered || answered !== offered) fail(`expected the answer to option ${turn.picks} (${offered})`);
    }
    previous = replies;
    if (turn.capture) {
      const code = replies.find((r) => r.ticket)?.ticket?.code;
      if (!code) fail('expected a ticket to capture');
      vars.set(turn.capture, code!);
    }
  }
  return `${sessionPrefix}-main`;
}
