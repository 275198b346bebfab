import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

export class WechatXmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WechatXmlError';
  }
}

/** Bodies larger than this are refused before parsing (WeChat messages are a few hundred bytes). */
export const MAX_XML_BYTES = 32 * 1024;

const parser = new XMLParser({
  ignoreAttributes: true,
  // Ids are 64-bit and codes have leading zeros: every value stays a string.
  parseTagValue: false,
  trimValues: true,
  // The docs spell the same tag MsgId and MsgID: match names case-insensitively.
  transformTagName: (name) => name.toLowerCase(),
  processEntities: true,
  htmlEntities: false,
});

/**
 * Parses a WeChat/WeCom XML document into a flat record of lower-cased tag names to strings.
 * DTDs and entity declarations are refused outright (no entity expansion, no external entities).
 */
export function parseWechatXml(xml: string): Record<string, string> {
  if (Buffer.byteLength(xml, 'utf8') > MAX_XML_BYTES) throw new WechatXmlError('XML body is too large');
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new WechatXmlError('XML with a DTD or entity declarations is refused');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new WechatXmlError(`XML is malformed: ${valid.err.msg}`);
  const document = parser.parse(xml) as Record<string, unknown>;
  const root = document.xml;
  if (!root || typeof root !== 'object' || Array.isArray(root)) throw new WechatXmlError('XML has no <xml> root');
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(root as Record<string, unknown>)) {
    if (typeof value === 'string') fields[name] = value;
    // Repeated or nested elements are not part of the message types we accept; keep the first text.
    else if (Array.isArray(value) && typeof value[0] === 'string') fields[name] = value[0];
    else if (value === '' || value === null) fields[name] = '';
  }
  return fields;
}

const builder = new XMLBuilder({ cdataPropName: '__cdata', format: false, suppressEmptyNode: false });

/** Builds `<xml>...</xml>`; string values go in CDATA (as WeChat's samples do; the builder splits a "]]>" inside), numbers as text. */
export function buildWechatXml(fields: Record<string, string | number>): string {
  const xml: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    xml[name] = typeof value === 'number' ? value : { __cdata: value };
  }
  return builder.build({ xml }) as string;
}
