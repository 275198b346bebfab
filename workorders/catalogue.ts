import { z } from 'zod';
import { appealTypes, urgencies } from './work-order.js';

const names = z.array(z.string().trim().min(1));

interface CategoryInput {
  code: string;
  name: string;
  keywords?: string[];
  children?: CategoryInput[];
}
const categorySchema: z.ZodType<CategoryInput> = z.lazy(() =>
  z.object({
    code: z.string().regex(/^\d{2,8}$/, 'a numeric code of 2-8 digits'),
    name: z.string().trim().min(1),
    keywords: names.optional(),
    children: z.array(categorySchema).optional(),
  }),
);

const durationSchema = z.union([
  z.object({ hours: z.number().positive() }).strict(),
  z.object({ workingDays: z.number().int().positive() }).strict(),
]);
export type Duration = z.infer<typeof durationSchema>;

/** The configurable dispatch catalogue (派单目录), category tree and deadline rules of one city. */
export const catalogueSchema = z.object({
  city: z.string().trim().min(1),
  regionCode: z.string().trim().min(1),
  categories: z.array(categorySchema).min(1),
  /** Category code used when no keyword matches. */
  fallbackCategory: z.string(),
  districts: z
    .array(
      z.object({
        name: z.string().trim().min(1),
        regionCode: z.string().trim().min(1),
        aliases: names.default([]),
        /** 属地: the district's own department when no rule matches. */
        defaultDepartment: z.string().trim().min(1),
      }),
    )
    .min(1),
  /** Used when neither a rule nor the district decides. */
  fallbackDepartment: z.string().trim().min(1),
  rules: z.array(
    z.object({
      id: z.string().trim().min(1),
      /** A category code; a parent code matches all its children. */
      category: z.string(),
      /** Any of these words in the description (empty: any text). */
      keywords: names.default([]),
      /** Only these districts (empty: every district). */
      districts: names.default([]),
      lead: z.string().trim().min(1),
      assisting: names.default([]),
    }),
  ),
  urgentKeywords: names.default([]),
  deadlines: z
    .array(
      z.object({
        appealTypes: z.array(z.enum(appealTypes)).default([]),
        urgency: z.enum(urgencies).optional(),
        respond: durationSchema,
        complete: durationSchema,
      }),
    )
    .min(1),
  /** An open order this close to a due date is listed yellow. */
  warnBeforeHours: z.number().positive().default(24),
});
export type Catalogue = z.infer<typeof catalogueSchema>;
export type DispatchRule = Catalogue['rules'][number];

export interface CategoryLeaf {
  code: string;
  name: string;
  /** 一级分类/二级分类 */
  path: string;
  keywords: string[];
}

/** Parses and validates a catalogue (JSON text); throws with every problem and its path. */
export function parseCatalogue(json: string): Catalogue {
  const parsed = catalogueSchema.safeParse(JSON.parse(json));
  if (!parsed.success) {
    throw new Error(
      `invalid dispatch catalogue: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const catalogue = parsed.data;
  const codes = new Set(categoryLeaves(catalogue).map((c) => c.code));
  const unknown = [catalogue.fallbackCategory, ...catalogue.rules.map((r) => r.category)].filter(
    (code) => ![...codes].some((c) => c.startsWith(code)),
  );
  if (unknown.length) throw new Error(`invalid dispatch catalogue: unknown category codes ${unknown.join(', ')}`);
  const districts = new Set(catalogue.districts.map((d) => d.name));
  const badDistricts = catalogue.rules.flatMap((r) => r.districts).filter((d) => !districts.has(d));
  if (badDistricts.length) throw new Error(`invalid dispatch catalogue: unknown districts ${badDistricts.join(', ')}`);
  return catalogue;
}

/** The leaves of the category tree, each with its full path. */
export function categoryLeaves(catalogue: Catalogue): CategoryLeaf[] {
  const leaves: CategoryLeaf[] = [];
  const walk = (nodes: CategoryInput[], path: string[]) => {
    for (const node of nodes) {
      const here = [...path, node.name];
      if (node.children?.length) walk(node.children, here);
      else leaves.push({ code: node.code, name: node.name, path: here.join('/'), keywords: node.keywords ?? [] });
    }
  };
  walk(catalogue.categories, []);
  return leaves;
}

/** Every department the catalogue names (rules, districts' own departments, the fallback): those orders may go to. */
export function catalogueDepartments(catalogue: Catalogue): string[] {
  const names = [
    ...catalogue.rules.flatMap((r) => [r.lead, ...r.assisting]),
    ...catalogue.districts.map((d) => d.defaultDepartment),
    catalogue.fallbackDepartment,
  ];
  return [...new Set(names)].sort((a, b) => a.localeCompare(b, 'zh-CN'));
}
