/** Routing rules as a table: step, what they match (platform, worker type, category, area), the unit they name (by its name). */
import { api, must } from '../../api/client.js';
import { enumOptions } from '../../i18n.js';
import { ROUTING_STEPS, ROUTING_TARGET_TYPES, type RoutingStep } from '../../../../workflows/case-rules.js';
import { categoryName, session } from '../../session.js';
import { SelectCell, TextCell, type EditColumn } from './edit-table.js';
import { unitOptions, useUnits } from './parts.js';
import { SetEditor, type SetSpec } from './set-editor.js';
import { named, w } from './words.js';

type Rule = { step: RoutingStep; match: { platform?: string; workerType?: string; category?: string; area?: string }; toOrgId: string };
type Row = { step: string; platform: string; workerType: string; category: string; area: string; toOrgId: string };

/** Which unit types a rule of each step may name (the server refuses the others). */
const TARGETS: Record<string, readonly string[]> = ROUTING_TARGET_TYPES;

const toRow = (r: Rule): Row => ({
  step: r.step, platform: r.match.platform ?? '', workerType: r.match.workerType ?? '', category: r.match.category ?? '', area: r.match.area ?? '', toOrgId: r.toOrgId,
});
const fromRow = (r: Row): Rule => {
  const match: Rule['match'] = {};
  for (const key of ['platform', 'workerType', 'category', 'area'] as const) if (r[key].trim()) match[key] = r[key].trim();
  return { step: r.step as Rule['step'], match, toOrgId: r.toOrgId };
};

export function RoutingSection() {
  const units = useUnits();
  const platforms = [...new Set(units.map((u) => u.platform).filter((p): p is string => !!p))];
  const categories = (session.value?.categories ?? []).map((c): [string, string] => [c.code, `${categoryName(c.code)} · ${c.code}`]);
  const columns: EditColumn<Row>[] = [
    { key: 'step', label: w('step'), required: true, control: (r, set, p) => <SelectCell {...p} value={r.step} blank={w('choose')} options={ROUTING_STEPS.map((s) => [s, named('routingStep', s)])} onPick={(step) => set({ step })} /> },
    { key: 'platform', label: w('platform'), control: (r, set, p) => <SelectCell {...p} value={r.platform} blank={w('any')} options={withCurrent(platforms.map((x) => [x, x]), r.platform)} onPick={(platform) => set({ platform })} /> },
    { key: 'workerType', label: w('workerType'), control: (r, set, p) => <SelectCell {...p} value={r.workerType} blank={w('any')} options={enumOptions('workerType')} onPick={(workerType) => set({ workerType })} /> },
    { key: 'category', label: w('category'), control: (r, set, p) => <SelectCell {...p} value={r.category} blank={w('any')} options={withCurrent(categories, r.category)} onPick={(category) => set({ category })} /> },
    { key: 'area', label: w('area'), control: (r, set, p) => <TextCell {...p} list="known-areas" value={r.area} onText={(area) => set({ area })} /> },
    { key: 'toOrgId', label: w('toOrg'), required: true, control: (r, set, p) => <SelectCell {...p} value={r.toOrgId} blank={w('choose')} options={withCurrent(unitOptions(units, TARGETS[r.step]), r.toOrgId, unitOptions(units, undefined, true))} onPick={(toOrgId) => set({ toOrgId })} /> },
  ];
  const spec: SetSpec<Row, Rule> = {
    id: 'rule', caption: w('routing'), columns, toRow, fromRow,
    newRow: () => ({ step: '', platform: '', workerType: '', category: '', area: '', toOrgId: '' }),
    load: async () => (await must(api.GET('/api/v1/routing-rules'))) as Rule[],
    save: async (rules) => (await must(api.PUT('/api/v1/routing-rules', { body: rules as never }))) as Rule[],
    columnOf: (rest) => (rest[0] === 'match' ? rest[1] ?? '' : rest[0] ?? ''),
  };
  return (
    <>
      <p class="muted">{w('routingHelp')}</p>
      <datalist id="known-areas">{[...new Set(units.flatMap((u) => u.areas))].map((a) => <option key={a} value={a} />)}</datalist>
      <SetEditor spec={spec} />
    </>
  );
}

/** The options, plus the row's current value when it is not among them (a deactivated unit, an unknown platform), so it stays visible. */
export function withCurrent(options: [string, string][], current: string, all: [string, string][] = []): [string, string][] {
  if (!current || options.some(([v]) => v === current)) return options;
  return [...options, all.find(([v]) => v === current) ?? [current, current]];
}
