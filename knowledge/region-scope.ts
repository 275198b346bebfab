import type { Candidate } from './lexical-index.js';
import type { KnowledgeEntry } from './entry.js';
import { normaliseText } from './normalise.js';

/** Score changes for district-scoped entries; chosen on the district queries of eval/data. */
export const scopeAdjustments = {
  /** The entry's district is the one the citizen named or is known to be in (share of the gap to 1). */
  sameDistrict: 0.35,
  /** The entry belongs to another district than the known one: effectively never answered. */
  otherDistrict: -0.5,
  /**
   * No district known: a city-wide entry is the safer answer than one district's (0.08 rather
   * than 0.03: "社保局在哪" asked of the knowledge-base folds went to 江北区's hall, eval/kb-folds.ts).
   */
  unknownDistrict: -0.08,
  /**
   * The lift is for the district's version of the topic asked about: an entry of the district
   * scoring below this share of the best candidate is about something else (临港新区's land
   * registry office for 临港新区's social insurance hall) and keeps its score.
   */
  sameTopicShare: 0.35,
  /**
   * ...and at least this similarity of its own: a message that shares nothing with the district's
   * entries but names one of its streets (a pothole on 望江路) is about none of them.
   */
  sameTopicFloor: 0.05,
} as const;

/**
 * Regions of the knowledge base. Entries without a region are valid everywhere, and so are those
 * of the city: the region most entries carry, if it clearly dominates (see cityOf). Every other
 * region is a district whose entries apply there only.
 */
export class RegionScope {
  private city: string | undefined;
  /** District name → the forms a citizen writes (江北区, 江北). */
  private districts = new Map<string, string[]>();
  /** Street or landmark → the one district the entries put it in (望江路 → 江北区, 临江古城 → 江北区). */
  private places = new Map<string, string>();

  update(entries: KnowledgeEntry[]): void {
    const counts = new Map<string, number>();
    for (const e of entries) if (e.region) counts.set(e.region, (counts.get(e.region) ?? 0) + 1);
    this.city = cityOf(counts, entries.length);
    this.districts = new Map(
      [...counts.keys()]
        .filter((r) => r !== this.city)
        .map((r) => {
          const short = r.replace(/(新区|区|县|市|镇|街道)$/, '');
          return [r, short.length >= 2 && short !== r ? [normaliseText(r), normaliseText(short)] : [normaliseText(r)]];
        }),
    );
    this.places = placesOf(entries, [...this.districts.keys()], (region): region is string => this.isDistrict(region));
  }

  /** The district a message names, if exactly one. */
  districtIn(text: string): string | undefined {
    const normalised = normaliseText(text);
    const named = [...this.districts.entries()]
      .map(([district, forms]) => ({ district, found: forms.filter((f) => normalised.includes(f)) }))
      .filter((d) => d.found.length > 0);
    // 江北新区 also contains 江北 (江北区's short form): a name inside a longer named one does not count.
    const distinct = named.filter(
      (d) =>
        !d.found.every((f) => named.some((o) => o !== d && o.found.some((g) => g.length > f.length && g.includes(f)))),
    );
    if (distinct.length > 0) return distinct.length === 1 ? distinct[0]!.district : undefined;
    // Citizens often name the street rather than the district (望江路那边的社保中心).
    const byPlace = new Set([...this.places].filter(([place]) => normalised.includes(place)).map(([, d]) => d));
    return byPlace.size === 1 ? [...byPlace][0] : undefined;
  }

  /** The text without the district's names: the district is scored by scope, not as a topic word. */
  withoutDistrict(text: string, district: string): string {
    const forms = [...(this.districts.get(district) ?? [])].sort((a, b) => b.length - a.length);
    let out = normaliseText(text);
    for (const form of forms) out = out.split(form).join(' ');
    return out;
  }

  isDistrict(region: string | null): region is string {
    return region !== null && this.districts.has(region);
  }

  /**
   * Whether the best candidate is one district's entry while another region's entry also fits:
   * without knowing the citizen's district, answering would be a guess, so the bot asks.
   */
  needsDistrict(candidates: Candidate[], entryOf: (id: string) => KnowledgeEntry | undefined, floor: number): boolean {
    const [top, ...rest] = candidates;
    const region = top ? (entryOf(top.entryId)?.region ?? null) : null;
    if (!top || !this.isDistrict(region)) return false;
    return rest.some((c) => c.score >= floor && (entryOf(c.entryId)?.region ?? null) !== region);
  }

  /** Re-scores candidates for the district in context (named in the query, or the session's). */
  adjust(
    candidates: Candidate[],
    entryOf: (id: string) => KnowledgeEntry | undefined,
    district?: string,
    sharesTopic: (candidate: Candidate) => boolean = () => true,
  ): Candidate[] {
    const best = Math.max(0, ...candidates.map((c) => c.score));
    return candidates
      .map((c) => {
        const region = entryOf(c.entryId)?.region ?? null;
        if (!this.isDistrict(region)) return c;
        if (
          region === district &&
          (c.score < scopeAdjustments.sameTopicShare * best ||
            c.score < scopeAdjustments.sameTopicFloor ||
            !sharesTopic(c))
        )
          return c;
        const delta =
          district === undefined
            ? scopeAdjustments.unknownDistrict
            : region === district
              ? scopeAdjustments.sameDistrict
              : scopeAdjustments.otherDistrict;
        // A lift closes that share of the gap to 1, so lifted entries keep their order (no ties at 1).
        const score = delta > 0 ? c.score + delta * (1 - c.score) : Math.max(0, c.score + delta);
        return { ...c, score };
      })
      .sort((a, b) => b.score - a.score || a.entryId.localeCompare(b.entryId));
  }
}

/** A street address in an answer: two characters, 路/大道/大街/街, a house number (望江路66号). */
const streetAddress = /(\p{Script=Han}{2}(?:大道|大街|路|街))(?=\d+号)/gu;

/** What a place name ends with: a street, an area or a landmark (not an office: every district has one). */
const placeSuffix = '(?:大道|大街|路|街道|街|巷|古城|公园|广场|夜市|市集|早市|镇|乡|村|社区|小区|风景区|景区)';

/**
 * A place an entry's text puts in a district ("江北区的临江古城", "江南区文昌路便民市集"), shortest
 * name first; not an address (a house number follows): an office's address says where the office
 * is, and the city's offices serve every district.
 */
const placeInDistrict = (district: string) =>
  new RegExp(`${district}的?(\\p{Script=Han}{1,6}?${placeSuffix})(?![\\d道])`, 'gu');

/** Not "各街道" or "本区" ("江北区各街道均可办理"): a determiner is no name. */
const isPlaceName = (place: string) => place.length >= 3 && !/^[各每全本该其所]/u.test(place);

/**
 * Places with their district: the streets of the district entries' addresses (an office's 望江路66号
 * in 江北区's entry), and places any entry's text names after a district without an address (江北区的
 * 临江古城); a place that two districts claim is left out. City-wide entries' addresses say nothing
 * of the district a citizen asks about (the city hall stands in one district but serves all).
 */
function placesOf(
  entries: KnowledgeEntry[],
  districts: string[],
  isDistrict: (region: string | null) => region is string,
): Map<string, string> {
  const found = new Map<string, string | null>();
  const claim = (place: string, district: string) => {
    const known = found.get(place);
    found.set(place, known === undefined || known === district ? district : null);
  };
  const patterns = districts.map((district) => ({ district, pattern: placeInDistrict(normaliseText(district)) }));
  for (const entry of entries) {
    const answer = normaliseText(entry.answer);
    const region = entry.region;
    if (isDistrict(region)) for (const [, street] of answer.matchAll(streetAddress)) claim(street!, region);
    for (const { district, pattern } of patterns)
      for (const [, place] of answer.matchAll(pattern)) if (isPlaceName(place!)) claim(place!, district);
  }
  return new Map([...found].filter((pair): pair is [string, string] => pair[1] !== null));
}

/**
 * The city among the regions entries carry: the most common one, provided it has at least twice
 * as many entries as any other region and more than the entries without one. A base
 * made of district entries only (or whose city-wide entries carry no region) has no city: taking
 * its largest district for the city would offer that district's answers in every other district.
 */
export function cityOf(counts: Map<string, number>, entries: number): string | undefined {
  const [first, second] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  if (!first) return undefined;
  const withoutRegion = entries - [...counts.values()].reduce((sum, n) => sum + n, 0);
  return first[1] >= 2 * (second?.[1] ?? 0) && first[1] > withoutRegion ? first[0] : undefined;
}
