/*
 * CloudEvents binary mode: attributes travel as headers (`ce_` on Kafka, `ce-` over HTTP),
 * `content-type` is `datacontenttype`, and the message body is `data`.
 */

export type SisInputHeaders = Readonly<Record<string, string | undefined>>;

export interface BinaryModeAttributes {
  attributes: Record<string, string>;
  /** Attribute name → the header it came from, so a problem names what the sender actually set. */
  headerOf: ReadonlyMap<string, string>;
}

const ATTRIBUTE_HEADER = /^ce[_-](.+)$/;
const ATTRIBUTE_HEADER_NAME = /^ce[_-]./i;
const STRUCTURED_MEDIA_TYPE = /^application\/cloudevents(?:-batch)?\+json/i;

/** The attributes when `headers` describe a binary-mode event; undefined for structured mode. */
export function binaryModeAttributes(headers: SisInputHeaders | undefined): BinaryModeAttributes | undefined {
  // Most events are structured: tell so without building anything (this runs on every Kafka message).
  if (!headers || !hasAttributeHeader(headers)) return undefined;
  // Maps, not object literals: a header named `ce___proto__` must stay an (unknown) attribute.
  const attributes = new Map<string, string>();
  const headerOf = new Map<string, string>();
  let contentType: string | undefined;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (lower === 'content-type') contentType = value;
    const attribute = ATTRIBUTE_HEADER.exec(lower)?.[1];
    if (attribute !== undefined) {
      attributes.set(attribute, value);
      headerOf.set(attribute, name);
    }
  }
  if (attributes.size === 0) return undefined;
  if (contentType !== undefined && STRUCTURED_MEDIA_TYPE.test(contentType)) return undefined;
  if (contentType !== undefined) {
    attributes.set('datacontenttype', contentType);
    headerOf.set('datacontenttype', 'content-type');
  }
  return { attributes: Object.fromEntries(attributes), headerOf };
}

function hasAttributeHeader(headers: SisInputHeaders): boolean {
  for (const name in headers) if (ATTRIBUTE_HEADER_NAME.test(name) && headers[name] !== undefined) return true;
  return false;
}
