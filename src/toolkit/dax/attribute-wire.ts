/*
 * The DynamoDB JSON protocol carries binary values (B, BS) as base64 text; a DAX client (and the
 * simulated DAX's SDK client) takes and returns them as bytes. These convert between the two at
 * the places of a request where attribute values can be, so the adapter can hand the SDK's own
 * serialized request to a DAX client and the DAX client's answer back to the SDK's deserializer.
 */

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function decodeValue(value: unknown): unknown {
  if (!isObject(value)) return value;
  if (typeof value.B === 'string') return { B: Buffer.from(value.B, 'base64') };
  if (Array.isArray(value.BS)) return { BS: value.BS.map((b) => (typeof b === 'string' ? Buffer.from(b, 'base64') : b)) };
  if (isObject(value.M)) return { M: decodeMap(value.M) };
  if (Array.isArray(value.L)) return { L: value.L.map(decodeValue) };
  return value;
}

function decodeMap(map: unknown): unknown {
  if (!isObject(map)) return map;
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, decodeValue(v)]));
}

// Members whose value is an attribute map, a list of them, or one attribute value (the legacy
// Expected / AttributeUpdates parameters).
const MAP_MEMBERS = new Set(['Key', 'Item', 'ExpressionAttributeValues', 'ExclusiveStartKey']);
const MAP_LIST_MEMBERS = new Set(['Keys']);
const VALUE_MEMBERS = new Set(['Value']);
const VALUE_LIST_MEMBERS = new Set(['AttributeValueList']);
// Names and expressions never hold attribute values: not walked.
const OPAQUE_MEMBERS = new Set(['ExpressionAttributeNames']);

/** A request body parsed from the JSON protocol, with every B / BS turned into bytes. */
export function decodeRequest(input: unknown): unknown {
  if (Array.isArray(input)) return input.map(decodeRequest);
  if (!isObject(input)) return input;
  const out: Json = {};
  for (const [key, value] of Object.entries(input)) {
    if (OPAQUE_MEMBERS.has(key)) out[key] = value;
    else if (MAP_MEMBERS.has(key)) out[key] = decodeMap(value);
    else if (MAP_LIST_MEMBERS.has(key) && Array.isArray(value)) out[key] = value.map(decodeMap);
    else if (VALUE_MEMBERS.has(key)) out[key] = decodeValue(value);
    else if (VALUE_LIST_MEMBERS.has(key) && Array.isArray(value)) out[key] = value.map(decodeValue);
    else out[key] = decodeRequest(value);
  }
  return out;
}

/**
 * An answer as JSON-protocol text: bytes as base64, members starting with `$` (the SDK's
 * `$metadata`) left out.
 */
export function encodeResponse(output: unknown): string {
  return JSON.stringify(output ?? {}, function replacer(this: Json, key: string, value: unknown) {
    if (key.startsWith('$')) return undefined;
    // The holder's own value: JSON.stringify has already applied Buffer#toJSON to `value`.
    const raw = this[key];
    if (raw instanceof Uint8Array) return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64');
    return value;
  });
}
