import { categoryLeaves, type Catalogue, type CategoryLeaf } from './catalogue.js';

export interface DispatchSuggestion {
  lead: string;
  assisting: string[];
  /** The rule that decided, kept with the order for audit: a rule id, `district:NAME` or `fallback`. */
  ruleId: string;
}

export interface Classification {
  code: string;
  name: string;
  path: string;
}

/** Recognises the district (区) of a place as written by a citizen, by name or alias. */
export function recogniseDistrict(catalogue: Catalogue, place: string | null | undefined) {
  if (!place) return undefined;
  return catalogue.districts.find((d) => place.includes(d.name) || d.aliases.some((a) => place.includes(a)));
}

/**
 * Classifies a description into a leaf of the category tree: the leaf whose keywords cover the
 * most characters of the text wins (longer keywords say more); the first leaf wins a tie.
 */
export function classify(catalogue: Catalogue, text: string): Classification {
  const leaves = categoryLeaves(catalogue);
  let best: CategoryLeaf | undefined;
  let bestScore = 0;
  for (const leaf of leaves) {
    const score = leaf.keywords.filter((k) => text.includes(k)).reduce((sum, k) => sum + k.length, 0);
    if (score > bestScore) {
      best = leaf;
      bestScore = score;
    }
  }
  const chosen = best ?? leaves.find((l) => l.code === catalogue.fallbackCategory) ?? leaves[0]!;
  return { code: chosen.code, name: chosen.name, path: chosen.path };
}

/**
 * Picks the responsible departments: among the rules whose category, keywords and districts all
 * match, the most specific wins (district scope, then keywords, then the longer category code,
 * then catalogue order); with no match the district's own department (属地), else the fallback.
 */
export function suggestDispatch(
  catalogue: Catalogue,
  order: { categoryCode: string; description: string; district?: string | null },
): DispatchSuggestion {
  const candidates = catalogue.rules
    .map((rule, index) => ({ rule, index }))
    .filter(
      ({ rule }) =>
        order.categoryCode.startsWith(rule.category) &&
        (rule.keywords.length === 0 || rule.keywords.some((k) => order.description.includes(k))) &&
        (rule.districts.length === 0 || (order.district != null && rule.districts.includes(order.district))),
    )
    .sort(
      (a, b) =>
        Number(b.rule.districts.length > 0) - Number(a.rule.districts.length > 0) ||
        Number(b.rule.keywords.length > 0) - Number(a.rule.keywords.length > 0) ||
        b.rule.category.length - a.rule.category.length ||
        a.index - b.index,
    );
  const match = candidates[0]?.rule;
  if (match) return { lead: match.lead, assisting: match.assisting, ruleId: match.id };
  const district = catalogue.districts.find((d) => d.name === order.district);
  if (district) return { lead: district.defaultDepartment, assisting: [], ruleId: `district:${district.name}` };
  return { lead: catalogue.fallbackDepartment, assisting: [], ruleId: 'fallback' };
}

/** Whether the description asks for urgent handling. */
export function detectUrgency(catalogue: Catalogue, text: string): 'urgent' | 'normal' {
  return catalogue.urgentKeywords.some((k) => text.includes(k)) ? 'urgent' : 'normal';
}
