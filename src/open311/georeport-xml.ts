/**
 * GeoReport v2's XML answers (the spec's format; JSON is the same data): a root element of item
 * elements, each field an element of its name, null fields left out, a list (a service
 * definition's `attributes`) as an element of its singular items. Built with xmlbuilder2, which
 * escapes text.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';

/** Root and item element names of each answer (GeoReport v2). */
export const XML_ROOTS = {
  services: ['services', 'service'],
  service_definition: ['service_definition', null],
  service_requests: ['service_requests', 'request'],
  errors: ['errors', 'error'],
} as const satisfies Record<string, readonly [string, string | null]>;
export type XmlAnswer = keyof typeof XML_ROOTS;

export function georeportXml(answer: XmlAnswer, data: Record<string, unknown>[] | Record<string, unknown>): string {
  const [root, item] = XML_ROOTS[answer];
  const doc = create({ version: '1.0', encoding: 'utf-8' }).ele(root);
  if (item === null) fields(doc, data as Record<string, unknown>);
  else for (const entry of data as Record<string, unknown>[]) fields(doc.ele(item), entry);
  return doc.end({ prettyPrint: true });
}

function fields(parent: XMLBuilder, values: Record<string, unknown>) {
  for (const [name, value] of Object.entries(values)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) {
      const list = parent.ele(name);
      for (const element of value) fields(list.ele(name.replace(/s$/, '')), element as Record<string, unknown>);
    } else {
      parent.ele(name).txt(String(value));
    }
  }
}
