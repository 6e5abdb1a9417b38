'use strict';
// Decodes an Arrow IPC stream file with the npm package apache-arrow (a reader Pond did not
// write) and prints, as JSON, every field's type and every value in a canonical form that the
// C++ test also computes from DuckDB:
//   integers, decimals (unscaled), dates, times, timestamps: decimal strings of the raw value;
//   floats: "f:" + the number; strings: the text; binary: lowercase hex; intervals:
//   "months:days:nanos"; lists: arrays; structs: objects; maps: [{key, value}];
//   unions: {tag, value} (null when the value is); dictionaries: the value; NULL: null.
// Usage: node decode_arrow_stream.cjs <folder holding node_modules> <stream file>

const fs = require('fs');
const path = require('path');

const [, , modulesDir, file] = process.argv;
const arrow = require(path.join(modulesDir, 'node_modules', 'apache-arrow'));
const { Type } = arrow;

function bytesOf(typed) {
  return new DataView(typed.buffer, typed.byteOffset, typed.byteLength);
}

function readInt(data, index, bits, signed) {
  const view = bytesOf(data.values);
  const at = index * (bits / 8);
  switch (bits) {
    case 8: return String(signed ? view.getInt8(at) : view.getUint8(at));
    case 16: return String(signed ? view.getInt16(at, true) : view.getUint16(at, true));
    case 32: return String(signed ? view.getInt32(at, true) : view.getUint32(at, true));
    case 64: return String(signed ? view.getBigInt64(at, true) : view.getBigUint64(at, true));
  }
  throw new Error(`unexpected integer width ${bits}`);
}

function littleEndianInteger(bytes, signed) {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; --i) value = (value << 8n) | BigInt(bytes[i]);
  if (signed && bytes.length > 0 && bytes[bytes.length - 1] & 0x80) value -= 1n << BigInt(bytes.length * 8);
  return value.toString();
}

function hex(bytes) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function slice(data, index, width) {
  return new Uint8Array(data.values.buffer, data.values.byteOffset + index * width, width);
}

function variableBytes(data, index) {
  const start = Number(data.valueOffsets[index]);
  const end = Number(data.valueOffsets[index + 1]);
  return data.values.subarray(start, end);
}

function dictionaryValue(vector, key) {
  let k = key;
  for (const chunk of vector.data) {
    if (k < chunk.length) return canon(chunk, k, null);
    k -= chunk.length;
  }
  throw new Error(`dictionary key ${key} out of range`);
}

// The canonical value of row `i` of `data`; `field` carries extension metadata (may be null).
function canon(data, i, field) {
  const t = data.type;
  if (t.typeId === Type.Null) return null;
  if (t.typeId !== Type.Union && !data.getValid(i)) return null;
  const index = data.offset + i;
  const extension = field ? field.metadata.get('ARROW:extension:metadata') : undefined;
  if (extension && /"type_name":"u?hugeint"/.test(extension)) {
    return littleEndianInteger(slice(data, index, 16), !extension.includes('uhugeint'));
  }
  switch (t.typeId) {
    case Type.Bool: {
      const byte = data.values[index >> 3];
      return (byte >> (index & 7)) & 1 ? 'true' : 'false';
    }
    case Type.Int: return readInt(data, index, t.bitWidth, t.isSigned);
    case Type.Float: {
      const view = bytesOf(data.values);
      if (t.precision === arrow.Precision.SINGLE) return 'f:' + String(view.getFloat32(index * 4, true));
      if (t.precision === arrow.Precision.DOUBLE) return 'f:' + String(view.getFloat64(index * 8, true));
      throw new Error('half floats are not expected');
    }
    case Type.Decimal: return littleEndianInteger(slice(data, index, t.bitWidth / 8), true);
    case Type.Utf8:
    case Type.LargeUtf8: return Buffer.from(variableBytes(data, index)).toString('utf8');
    case Type.Binary:
    case Type.LargeBinary: return hex(variableBytes(data, index));
    case Type.FixedSizeBinary: return hex(slice(data, index, t.byteWidth));
    case Type.Date: return readInt(data, index, t.unit === arrow.DateUnit.DAY ? 32 : 64, true);
    case Type.Time: return readInt(data, index, t.bitWidth, true);
    case Type.Timestamp:
    case Type.Duration: return readInt(data, index, 64, true);
    case Type.Interval: {
      const view = bytesOf(data.values);
      if (t.unit === arrow.IntervalUnit.MONTH_DAY_NANO) {
        const at = index * 16;
        return `${view.getInt32(at, true)}:${view.getInt32(at + 4, true)}:${view.getBigInt64(at + 8, true)}`;
      }
      if (t.unit === arrow.IntervalUnit.DAY_TIME) return `${view.getInt32(index * 8, true)}:${view.getInt32(index * 8 + 4, true)}`;
      return String(view.getInt32(index * 4, true));
    }
    case Type.List:
    case Type.LargeList: {
      const start = Number(data.valueOffsets[index]);
      const end = Number(data.valueOffsets[index + 1]);
      const out = [];
      for (let j = start; j < end; ++j) out.push(canon(data.children[0], j, t.children[0]));
      return out;
    }
    case Type.FixedSizeList: {
      const out = [];
      for (let j = 0; j < t.listSize; ++j) out.push(canon(data.children[0], index * t.listSize + j, t.children[0]));
      return out;
    }
    case Type.Struct: {
      const out = {};
      t.children.forEach((f, c) => { out[f.name] = canon(data.children[c], index, f); });
      return out;
    }
    case Type.Map: {
      const entries = data.children[0];
      const [keyField, valueField] = entries.type.children;
      const out = [];
      for (let j = Number(data.valueOffsets[index]); j < Number(data.valueOffsets[index + 1]); ++j) {
        out.push({ key: canon(entries.children[0], j, keyField), value: canon(entries.children[1], j, valueField) });
      }
      return out;
    }
    case Type.Union: {
      const child = t.typeIdToChildIndex[data.typeIds[index]];
      const row = t.mode === arrow.UnionMode.Dense ? data.valueOffsets[index] : index;
      // Union arrays have no validity: a NULL union is a member holding NULL.
      const value = canon(data.children[child], row, t.children[child]);
      return value === null ? null : { tag: t.children[child].name, value };
    }
    case Type.Dictionary: return dictionaryValue(data.dictionary, Number(readInt(data, index, t.indices.bitWidth, t.indices.isSigned)));
  }
  throw new Error(`no canonical form for ${t}`);
}

// The type as a tree the C++ test can walk.
function describe(field) {
  const t = field.type;
  const out = {
    name: field.name,
    type: String(t),
    typeId: Type[t.typeId],
    nullable: field.nullable,
    metadata: Object.fromEntries(field.metadata),
  };
  if (t.typeId === Type.Dictionary) {
    out.dictionary = describe(new arrow.Field('values', t.dictionary));
    out.indices = String(t.indices);
  }
  for (const key of ['unit', 'bitWidth', 'precision', 'scale', 'listSize', 'byteWidth', 'timezone']) {
    if (t[key] !== undefined && t[key] !== null) out[key] = t[key];
  }
  if (t.children) out.children = t.children.map(describe);
  return out;
}

const reader = arrow.RecordBatchReader.from(fs.readFileSync(file));
reader.open();
const fields = reader.schema.fields;
const rows = [];
let batches = 0;
for (const batch of reader) {
  // The reader yields one empty batch for a stream without record batches; count real ones.
  if (batch.numRows > 0) ++batches;
  for (let r = 0; r < batch.numRows; ++r) {
    rows.push(fields.map((f, c) => canon(batch.data.children[c], r, f)));
  }
}
process.stdout.write(JSON.stringify({ fields: fields.map(describe), batches, rows }) + '\n');
