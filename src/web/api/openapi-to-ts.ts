/**
 * Writes the served OpenAPI document as TypeScript types in the shape openapi-fetch reads (`paths`,
 * `components`), the same shape openapi-typescript emits. Our own ~100 lines because openapi-typescript
 * 7 needs the TypeScript 5 compiler API (peer `typescript ^5`) and this project compiles with
 * TypeScript 7, which has none. Run from tests/e2e/api-client.test.ts (`npm run api:client`).
 */
type Schema = {
  $ref?: string; type?: string | string[]; enum?: unknown[]; const?: unknown; nullable?: boolean;
  properties?: Record<string, Schema>; required?: string[]; additionalProperties?: boolean | Schema;
  items?: Schema; anyOf?: Schema[]; oneOf?: Schema[]; allOf?: Schema[]; description?: string;
};
type Parameter = { name: string; in: 'query' | 'path' | 'header' | 'cookie'; required?: boolean; schema?: Schema };
type Operation = {
  parameters?: Parameter[]; requestBody?: { required?: boolean; content: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
};
export type OpenApiDocument = { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } };

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));
const indent = (text: string) => text.replaceAll('\n', '\n  ');

function typeOf(schema: Schema | undefined): string {
  if (!schema) return 'unknown';
  const union = (parts: string[]) => (parts.length === 1 ? parts[0] : `(${parts.join(' | ')})`);
  const withNull = (t: string) => (schema.nullable ? `${t} | null` : t);
  if (schema.$ref) return withNull(`components["schemas"][${JSON.stringify(schema.$ref.split('/').pop())}]`);
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return withNull(union(schema.enum.map((v) => JSON.stringify(v))));
  if (schema.anyOf ?? schema.oneOf) return withNull(union((schema.anyOf ?? schema.oneOf)!.map(typeOf)));
  if (schema.allOf) return schema.allOf.map(typeOf).join(' & ');
  if (Array.isArray(schema.type)) return union(schema.type.map((type) => typeOf({ ...schema, type })));
  switch (schema.type) {
    case 'string': return withNull('string');
    case 'integer': case 'number': return withNull('number');
    case 'boolean': return withNull('boolean');
    case 'null': return 'null';
    case 'array': return withNull(`${typeOf(schema.items)}[]`);
    case 'object': case undefined: return withNull(objectType(schema));
    default: return 'unknown';
  }
}

function objectType(schema: Schema): string {
  const required = new Set(schema.required ?? []);
  const lines = Object.entries(schema.properties ?? {}).map(([name, s]) => `${key(name)}${required.has(name) ? '' : '?'}: ${typeOf(s)};`);
  if (schema.additionalProperties === true || (!schema.properties && schema.additionalProperties !== false)) lines.push('[key: string]: unknown;');
  else if (typeof schema.additionalProperties === 'object') lines.push(`[key: string]: ${typeOf(schema.additionalProperties)};`);
  return lines.length ? `{\n  ${lines.map(indent).join('\n  ')}\n}` : 'Record<string, never>';
}

function parametersType(parameters: Parameter[] = []): string {
  const group = (where: Parameter['in']) => {
    const list = parameters.filter((p) => p.in === where);
    if (list.length === 0) return `${where}?: never;`;
    const optional = list.every((p) => !p.required) ? '?' : '';
    const fields = list.map((p) => `${key(p.name)}${p.required ? '' : '?'}: ${typeOf(p.schema)};`);
    return `${where}${optional}: {\n  ${fields.join('\n  ')}\n};`;
  };
  return `{\n  ${['query', 'header', 'path', 'cookie'].map((w) => indent(group(w as Parameter['in']))).join('\n  ')}\n}`;
}

function contentType(content: Record<string, { schema?: Schema }> = {}): string {
  const entries = Object.entries(content).map(([media, c]) => `${JSON.stringify(media)}: ${typeOf(c.schema)};`);
  return entries.length ? `{\n  ${entries.map(indent).join('\n  ')}\n}` : 'never';
}

function operationType(op: Operation): string {
  const body = op.requestBody
    ? `requestBody${op.requestBody.required ? '' : '?'}: {\n  content: ${indent(contentType(op.requestBody.content))};\n};`
    : 'requestBody?: never;';
  const responses = Object.entries(op.responses ?? {}).map(([status, r]) =>
    `${/^\d+$/.test(status) ? status : JSON.stringify(status)}: {\n  headers: { [name: string]: unknown };\n  content: ${indent(contentType(r.content))};\n};`);
  return `{\n  parameters: ${indent(parametersType(op.parameters))};\n  ${indent(body)}\n  responses: {\n    ${responses.map((r) => indent(indent(r))).join('\n    ')}\n  };\n}`;
}

/** The whole file: `paths`, `components` and `operations` (empty: operations are inline). */
export function openApiToTypeScript(doc: OpenApiDocument): string {
  const paths = Object.keys(doc.paths).sort().map((path) => {
    const item = doc.paths[path];
    const ops = METHODS.filter((m) => item[m]).map((m) => `${m}: ${indent(operationType(item[m]))};`);
    const openPath = path.replace(/\{(\w+)\}/g, '{$1}');
    return `${JSON.stringify(openPath)}: {\n  ${ops.map(indent).join('\n  ')}\n};`;
  });
  const schemas = Object.keys(doc.components?.schemas ?? {}).sort()
    .map((name) => `${key(name)}: ${indent(typeOf(doc.components!.schemas![name]))};`);
  return [
    '// Generated from the served OpenAPI document (GET /docs/json) by src/web/api/openapi-to-ts.ts.',
    '// Do not edit: `npm run api:client` rewrites it; tests/e2e/api-client.test.ts fails when it is stale.',
    `export interface paths {\n  ${paths.map(indent).join('\n  ')}\n}`,
    `export interface components {\n  schemas: {\n    ${schemas.map((s) => indent(indent(s))).join('\n    ')}\n  };\n}`,
    'export type operations = Record<string, never>;',
    '',
  ].join('\n');
}
