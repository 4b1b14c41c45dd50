/**
 * The grievance catalogue as data (TAXONOMY.md): categories with their sub-items, the territorial
 * flag (以块为主: such matters go to the street office of the case's area) and retirement. An admin
 * replaces it as a whole; a code some case uses can be retired but never deleted, so old cases keep
 * showing it while new registrations and reclassifications refuse it.
 */
import { Type, type Static } from 'typebox';
import { inTransaction, jsonb, type Sql, type Tx } from '../../db/client.js';
import type { Caller } from '../access/callers.js';
import { requireAdmin } from '../access/permissions.js';
import { recordAdminChange } from '../admin/admin-changes.js';
import { BadRequest, Conflict } from '../errors.js';

const Code = (pattern: string, description: string) => Type.String({ pattern, description });
const Name = Type.String({ minLength: 1, maxLength: 100 });

export const SubcategorySchema = Type.Object({
  code: Code('^[A-Z]{3}[0-9]{2}$', '子项代码，如 PAY01 / sub-item code'),
  name: Name, nameEn: Name,
  retired: Type.Boolean({ default: false, description: '停用：新登记不可再选 / retired: refused on new cases' }),
}, { additionalProperties: false });

export const CategorySchema = Type.Object({
  code: Code('^[A-Z]{3}$', '类别代码 / category code'),
  name: Name, nameEn: Name,
  territorial: Type.Boolean({ description: '属地事项：由街道/镇办理，无需平台 / handled by the street office of the area, no platform' }),
  retired: Type.Boolean({ default: false, description: '停用：新登记与重新分类不可再选，旧案件照常显示 / retired: refused on new cases and reclassification; old cases keep it' }),
  subcategories: Type.Array(SubcategorySchema, { maxItems: 100 }),
}, { additionalProperties: false });

export const CatalogueSchema = Type.Object({ categories: Type.Array(CategorySchema, { maxItems: 500 }) }, { additionalProperties: false });
export type Catalogue = Static<typeof CatalogueSchema>;
export type CatalogueCategory = Static<typeof CategorySchema>;

type CategoryRow = {
  code: string; nameZh: string; nameEn: string; territorial: boolean; retired: boolean;
  subItems: { code: string; zh: string; en: string; retired?: boolean }[];
};

export async function readCatalogue(tx: Tx): Promise<Catalogue> {
  const rows = await tx<CategoryRow[]>`select code, name_zh, name_en, territorial, retired, sub_items from categories order by position, code`;
  return {
    categories: rows.map((r) => ({
      code: r.code, name: r.nameZh, nameEn: r.nameEn, territorial: r.territorial, retired: r.retired,
      subcategories: r.subItems.map((s) => ({ code: s.code, name: s.zh, nameEn: s.en, retired: s.retired ?? false })),
    })),
  };
}

/** Replaces the whole catalogue; codes in use by a case must stay (retired if need be). */
export async function replaceCatalogue(sql: Sql, caller: Caller, catalogue: Catalogue): Promise<Catalogue> {
  requireAdmin(caller);
  checkUnique(catalogue);
  return inTransaction(sql, async (tx) => {
    await tx`lock table categories in exclusive mode`;
    await refuseDroppingUsedCodes(tx, catalogue);
    await tx`delete from categories`;
    for (const [position, c] of catalogue.categories.entries()) {
      const subItems = c.subcategories.map((s) => ({ code: s.code, zh: s.name, en: s.nameEn, retired: s.retired ?? false }));
      await tx`insert into categories (code, name_zh, name_en, sub_items, territorial, retired, position)
        values (${c.code}, ${c.name}, ${c.nameEn}, ${jsonb(tx, subItems)}, ${c.territorial}, ${c.retired ?? false}, ${position})`;
    }
    await recordAdminChange(tx, { actor: caller, entity: 'catalogue', action: 'replace', details: { categories: catalogue.categories.length } });
    return readCatalogue(tx);
  });
}

/** What the catalogue routes call, bound to the database. */
export function createCatalogueService(deps: { sql: Sql }) {
  return {
    readCatalogue: () => readCatalogue(deps.sql),
    replaceCatalogue: (caller: Caller, catalogue: Catalogue) => replaceCatalogue(deps.sql, caller, catalogue),
  };
}
export type CatalogueService = ReturnType<typeof createCatalogueService>;

function checkUnique(catalogue: Catalogue) {
  const seen = new Set<string>();
  for (const [i, c] of catalogue.categories.entries()) {
    for (const [j, code] of [c.code, ...c.subcategories.map((s) => s.code)].entries()) {
      const field = j === 0 ? `body.categories.${i}.code` : `body.categories.${i}.subcategories.${j - 1}.code`;
      if (seen.has(code)) throw new BadRequest(`${field}: 代码 ${code} 重复 / code '${code}' appears twice`);
      if (j > 0 && !code.startsWith(c.code)) throw new BadRequest(`${field}: 子项代码须以 ${c.code} 开头 / a sub-item code starts with its category's code`);
      seen.add(code);
    }
  }
}

async function refuseDroppingUsedCodes(tx: Tx, catalogue: Catalogue) {
  const kept = catalogue.categories.flatMap((c) => [c.code, ...c.subcategories.map((s) => s.code)]);
  const used = await tx<{ code: string }[]>`
    select distinct code from (select category as code from cases union select subcategory from cases where subcategory is not null) u
    where not (code = any(${kept})) order by code limit 20`;
  if (used.length > 0) {
    const codes = used.map((u) => u.code).join(', ');
    throw new Conflict(`目录代码 ${codes} 已被案件使用，不能删除，只能停用 / codes in use by cases cannot be deleted, only retired (retired: true): ${codes}`);
  }
}

/**
 * Checks a classification against the catalogue: the category (and sub-item) must exist and not
 * be retired. Returns the category, whose `territorial` flag decides the route.
 */
export async function checkClassification(tx: Tx, category: string, subcategory: string | null | undefined, prefix = ''): Promise<CategoryRow> {
  return classificationOf((await categoryRow(tx, category))[0], category, subcategory, prefix);
}

/** The catalogue row of a code (the statement, to await or to send with a transition's read). */
export function categoryRow(tx: Tx, category: string | ReturnType<Tx>) {
  return tx<CategoryRow[]>`select code, name_zh, name_en, territorial, retired, sub_items from categories where code = ${category}`;
}

/** A classification names a live catalogue code, and a live sub-item of it. */
export function classificationOf(row: CategoryRow | undefined, category: string, subcategory: string | null | undefined, prefix = ''): CategoryRow {
  if (!row) throw new BadRequest(`${prefix}category: 诉求类别 '${category}' 不在目录中 / '${category}' is not a catalogue code`);
  if (row.retired) throw new BadRequest(`${prefix}category: 诉求类别 '${category}' 已停用 / '${category}' is retired: choose another code`);
  if (subcategory) {
    const sub = row.subItems.find((s) => s.code === subcategory);
    if (!sub) throw new BadRequest(`${prefix}subcategory: '${subcategory}' 不是类别 ${category} 的子项 / '${subcategory}' is not a sub-item of ${category}`);
    if (sub.retired) throw new BadRequest(`${prefix}subcategory: 子项 '${subcategory}' 已停用 / '${subcategory}' is retired: choose another sub-item`);
  }
  return row;
}
