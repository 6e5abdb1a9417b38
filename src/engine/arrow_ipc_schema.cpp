// The Schema message: ArrowSchema (C Data Interface format strings) -> ArrowField -> flatbuffer.
// Table field ids and enum values follow the Arrow columnar format specification (Schema.fbs,
// Message.fbs); flatbuffers' vtable slot of field n is 4 + 2n.

#include <flatbuffers/flatbuffers.h>

#include <charconv>
#include <cstring>
#include <string_view>

#include "engine/arrow_ipc.hpp"
#include "engine/arrow_ipc_message.hpp"
#include "engine/error.hpp"

namespace pond::engine::detail {
namespace {

constexpr flatbuffers::voffset_t slot(int field) { return static_cast<flatbuffers::voffset_t>(4 + 2 * field); }

// The IPC `Type` union's member ids.
enum TypeTag : uint8_t {
  kNull = 1,
  kInt = 2,
  kFloatingPoint = 3,
  kBinary = 4,
  kUtf8 = 5,
  kBool = 6,
  kDecimal = 7,
  kDate = 8,
  kTime = 9,
  kTimestamp = 10,
  kInterval = 11,
  kList = 12,
  kStruct = 13,
  kUnion = 14,
  kFixedSizeBinary = 15,
  kFixedSizeList = 16,
  kMap = 17,
  kDuration = 18,
  kLargeBinary = 19,
  kLargeUtf8 = 20,
  kLargeList = 21,
};

[[noreturn]] void unsupported(std::string_view format, std::string_view name, std::string_view hint = "") {
  std::string message = "Arrow export: column '" + std::string(name) + "' has Arrow format '" + std::string(format) +
                        "', which Pond's IPC writer does not support";
  if (!hint.empty()) message += "; " + std::string(hint);
  throw Error(ErrorKind::invalid_input, message);
}

int32_t parse_int(std::string_view text, std::string_view format, std::string_view name) {
  int32_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) unsupported(format, name);
  return value;
}

std::vector<int32_t> parse_int_list(std::string_view text, std::string_view format, std::string_view name) {
  std::vector<int32_t> values;
  while (!text.empty()) {
    size_t comma = text.find(',');
    values.push_back(parse_int(text.substr(0, comma), format, name));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  return values;
}

std::vector<std::pair<std::string, std::string>> parse_metadata(const char* raw) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!raw) return out;
  auto read_int = [&raw] {
    int32_t v;
    std::memcpy(&v, raw, sizeof v);
    raw += sizeof v;
    return v;
  };
  int32_t count = read_int();
  for (int32_t i = 0; i < count; ++i) {
    int32_t key_size = read_int();
    std::string key(raw, static_cast<size_t>(key_size));
    raw += key_size;
    int32_t value_size = read_int();
    std::string value(raw, static_cast<size_t>(value_size));
    raw += value_size;
    out.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

// Fixed-width primitives, indexed by their one-letter format.
bool set_primitive(ArrowField& f, char c) {
  struct Spec {
    char format;
    ArrowKind kind;
    int bits;
    bool is_signed;
  };
  static constexpr Spec kSpecs[] = {
      {'b', ArrowKind::boolean, 1, false},  {'c', ArrowKind::integer, 8, true},   {'C', ArrowKind::integer, 8, false},
      {'s', ArrowKind::integer, 16, true},  {'S', ArrowKind::integer, 16, false}, {'i', ArrowKind::integer, 32, true},
      {'I', ArrowKind::integer, 32, false}, {'l', ArrowKind::integer, 64, true},  {'L', ArrowKind::integer, 64, false},
      {'e', ArrowKind::floating, 16, true}, {'f', ArrowKind::floating, 32, true}, {'g', ArrowKind::floating, 64, true},
  };
  for (const Spec& s : kSpecs) {
    if (s.format == c) {
      f.kind = s.kind;
      f.bit_width = s.bits;
      f.is_signed = s.is_signed;
      return true;
    }
  }
  return false;
}

int time_unit(char c, std::string_view format, std::string_view name) {
  switch (c) {
    case 's':
      return 0;
    case 'm':
      return 1;
    case 'u':
      return 2;
    case 'n':
      return 3;
    default:
      unsupported(format, name);
  }
}

void set_temporal(ArrowField& f, std::string_view fmt) {
  // fmt starts with 't'.
  if (fmt == "tdD" || fmt == "tdm") {
    f.kind = ArrowKind::date;
    f.unit = fmt == "tdD" ? 0 : 1;
    f.bit_width = fmt == "tdD" ? 32 : 64;
  } else if (fmt.size() == 3 && fmt[1] == 't') {
    f.kind = ArrowKind::time;
    f.unit = time_unit(fmt[2], fmt, f.name);
    f.bit_width = f.unit <= 1 ? 32 : 64;
  } else if (fmt.size() >= 4 && fmt[1] == 's' && fmt[3] == ':') {
    f.kind = ArrowKind::timestamp;
    f.unit = time_unit(fmt[2], fmt, f.name);
    f.bit_width = 64;
    f.timezone = std::string(fmt.substr(4));
  } else if (fmt.size() == 3 && fmt[1] == 'D') {
    f.kind = ArrowKind::duration;
    f.unit = time_unit(fmt[2], fmt, f.name);
    f.bit_width = 64;
  } else if (fmt == "tiM" || fmt == "tiD" || fmt == "tin") {
    f.kind = ArrowKind::interval;
    f.unit = fmt == "tiM" ? 0 : fmt == "tiD" ? 1 : 2;
    f.bit_width = fmt == "tiM" ? 32 : fmt == "tiD" ? 64 : 128;
  } else {
    unsupported(fmt, f.name);
  }
}

void set_type(ArrowField& f, const ArrowSchema& schema) {
  std::string_view fmt = schema.format ? schema.format : "";
  if (fmt.size() == 1 && set_primitive(f, fmt[0])) return;
  if (fmt == "n") {
    f.kind = ArrowKind::null;
  } else if (fmt == "z" || fmt == "Z" || fmt == "u" || fmt == "U" || fmt == "vz" || fmt == "vu") {
    f.kind = fmt == "z"    ? ArrowKind::binary
             : fmt == "Z"  ? ArrowKind::large_binary
             : fmt == "u"  ? ArrowKind::utf8
             : fmt == "U"  ? ArrowKind::large_utf8
             : fmt == "vz" ? ArrowKind::binary_view
                           : ArrowKind::utf8_view;
  } else if (fmt.starts_with("d:")) {
    std::vector<int32_t> parts = parse_int_list(fmt.substr(2), fmt, f.name);
    if (parts.size() < 2 || parts.size() > 3) unsupported(fmt, f.name);
    f.kind = ArrowKind::decimal;
    f.precision = parts[0];
    f.scale = parts[1];
    f.bit_width = parts.size() == 3 ? parts[2] : 128;
    if (f.bit_width != 128 && f.bit_width != 256) unsupported(fmt, f.name);
  } else if (fmt.starts_with("w:")) {
    f.kind = ArrowKind::fixed_binary;
    f.fixed_size = parse_int(fmt.substr(2), fmt, f.name);
    f.bit_width = f.fixed_size * 8;
  } else if (fmt.starts_with("t")) {
    set_temporal(f, fmt);
  } else if (fmt == "+l" || fmt == "+L") {
    f.kind = fmt == "+l" ? ArrowKind::list : ArrowKind::large_list;
  } else if (fmt.starts_with("+w:")) {
    f.kind = ArrowKind::fixed_list;
    f.fixed_size = parse_int(fmt.substr(3), fmt, f.name);
  } else if (fmt == "+s") {
    f.kind = ArrowKind::structure;
  } else if (fmt == "+m") {
    f.kind = ArrowKind::map;
    f.keys_sorted = (schema.flags & ARROW_FLAG_MAP_KEYS_SORTED) != 0;
  } else if (fmt.starts_with("+us:") || fmt.starts_with("+ud:")) {
    f.kind = fmt[2] == 's' ? ArrowKind::sparse_union : ArrowKind::dense_union;
    f.type_ids = parse_int_list(fmt.substr(4), fmt, f.name);
  } else if (fmt == "+vl" || fmt == "+vL") {
    unsupported(fmt, f.name, "run SET arrow_output_list_view = false");
  } else {
    unsupported(fmt, f.name);
  }
}

ArrowField field_from_schema(const ArrowSchema& schema, int64_t& next_dictionary_id) {
  ArrowField f;
  f.name = schema.name ? schema.name : "";
  f.nullable = (schema.flags & ARROW_FLAG_NULLABLE) != 0;
  f.metadata = parse_metadata(schema.metadata);
  const ArrowSchema& values = schema.dictionary ? *schema.dictionary : schema;
  if (schema.dictionary) {
    ArrowField index;
    index.name = f.name;
    std::string_view fmt = schema.format ? schema.format : "";
    if (fmt.size() != 1 || !set_primitive(index, fmt[0]) || index.kind != ArrowKind::integer) unsupported(fmt, f.name);
    f.dictionary = DictionaryEncoding{next_dictionary_id++, index.bit_width, index.is_signed,
                                      (schema.flags & ARROW_FLAG_DICTIONARY_ORDERED) != 0};
    if (values.dictionary) unsupported(fmt, f.name, "nested dictionaries");
  }
  set_type(f, values);
  for (int64_t i = 0; i < values.n_children; ++i)
    f.children.push_back(field_from_schema(*values.children[i], next_dictionary_id));
  return f;
}

using Table = flatbuffers::Offset<void>;

Table empty_table(flatbuffers::FlatBufferBuilder& fbb) { return Table(fbb.EndTable(fbb.StartTable())); }

std::pair<uint8_t, Table> encode_type(flatbuffers::FlatBufferBuilder& fbb, const ArrowField& f) {
  flatbuffers::Offset<flatbuffers::String> timezone;
  flatbuffers::Offset<flatbuffers::Vector<int32_t>> type_ids;
  if (f.kind == ArrowKind::timestamp && !f.timezone.empty()) timezone = fbb.CreateString(f.timezone);
  if (f.kind == ArrowKind::sparse_union || f.kind == ArrowKind::dense_union) type_ids = fbb.CreateVector(f.type_ids);

  auto table = [&fbb](uint8_t tag, auto&& add_fields) {
    auto start = fbb.StartTable();
    add_fields();
    return std::pair<uint8_t, Table>(tag, Table(fbb.EndTable(start)));
  };
  switch (f.kind) {
    case ArrowKind::null:
      return {kNull, empty_table(fbb)};
    case ArrowKind::boolean:
      return {kBool, empty_table(fbb)};
    case ArrowKind::integer:
      return table(kInt, [&] {
        fbb.AddElement<int32_t>(slot(0), f.bit_width, 0);
        fbb.AddElement<uint8_t>(slot(1), f.is_signed ? 1 : 0, 0);
      });
    case ArrowKind::floating:
      return table(kFloatingPoint, [&] {
        fbb.AddElement<int16_t>(slot(0), f.bit_width == 16 ? 0 : f.bit_width == 32 ? 1 : 2, 0);
      });
    case ArrowKind::decimal:
      return table(kDecimal, [&] {
        fbb.AddElement<int32_t>(slot(0), f.precision, 0);
        fbb.AddElement<int32_t>(slot(1), f.scale, 0);
        fbb.AddElement<int32_t>(slot(2), f.bit_width, 0);
      });
    case ArrowKind::binary:
      return {kBinary, empty_table(fbb)};
    case ArrowKind::utf8:
      return {kUtf8, empty_table(fbb)};
    case ArrowKind::large_binary:
    case ArrowKind::binary_view:
      return {kLargeBinary, empty_table(fbb)};
    case ArrowKind::large_utf8:
    case ArrowKind::utf8_view:
      return {kLargeUtf8, empty_table(fbb)};
    case ArrowKind::fixed_binary:
      return table(kFixedSizeBinary, [&] { fbb.AddElement<int32_t>(slot(0), f.fixed_size, 0); });
    case ArrowKind::date:
      return table(kDate, [&] { fbb.AddElement<int16_t>(slot(0), static_cast<int16_t>(f.unit), 0); });
    case ArrowKind::time:
      return table(kTime, [&] {
        fbb.AddElement<int16_t>(slot(0), static_cast<int16_t>(f.unit), 0);
        fbb.AddElement<int32_t>(slot(1), f.bit_width, 0);
      });
    case ArrowKind::timestamp:
      return table(kTimestamp, [&] {
        fbb.AddElement<int16_t>(slot(0), static_cast<int16_t>(f.unit), 0);
        fbb.AddOffset(slot(1), timezone);
      });
    case ArrowKind::duration:
      return table(kDuration, [&] { fbb.AddElement<int16_t>(slot(0), static_cast<int16_t>(f.unit), 0); });
    case ArrowKind::interval:
      return table(kInterval, [&] { fbb.AddElement<int16_t>(slot(0), static_cast<int16_t>(f.unit), 0); });
    case ArrowKind::list:
      return {kList, empty_table(fbb)};
    case ArrowKind::large_list:
      return {kLargeList, empty_table(fbb)};
    case ArrowKind::fixed_list:
      return table(kFixedSizeList, [&] { fbb.AddElement<int32_t>(slot(0), f.fixed_size, 0); });
    case ArrowKind::structure:
      return {kStruct, empty_table(fbb)};
    case ArrowKind::map:
      return table(kMap, [&] { fbb.AddElement<uint8_t>(slot(0), f.keys_sorted ? 1 : 0, 0); });
    case ArrowKind::sparse_union:
    case ArrowKind::dense_union:
      return table(kUnion, [&] {
        fbb.AddElement<int16_t>(slot(0), f.kind == ArrowKind::dense_union ? 1 : 0, 0);
        fbb.AddOffset(slot(1), type_ids);
      });
  }
  throw Error(ErrorKind::internal, "Arrow export: unhandled kind for column '" + f.name + "'");
}

Table encode_field(flatbuffers::FlatBufferBuilder& fbb, const ArrowField& f) {
  std::vector<Table> children;
  for (const ArrowField& child : f.children) children.push_back(encode_field(fbb, child));
  auto children_vector = fbb.CreateVector(children);
  std::vector<Table> metadata;
  for (const auto& [key, value] : f.metadata) {
    auto k = fbb.CreateString(key);
    auto v = fbb.CreateString(value);
    auto start = fbb.StartTable();
    fbb.AddOffset(slot(0), k);
    fbb.AddOffset(slot(1), v);
    metadata.push_back(Table(fbb.EndTable(start)));
  }
  flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<void>>> metadata_vector;
  if (!metadata.empty()) metadata_vector = fbb.CreateVector(metadata);
  Table dictionary;
  if (f.dictionary) {
    auto start = fbb.StartTable();
    fbb.AddElement<int32_t>(slot(0), f.dictionary->index_bits, 0);
    fbb.AddElement<uint8_t>(slot(1), f.dictionary->index_signed ? 1 : 0, 0);
    Table index_type(fbb.EndTable(start));
    start = fbb.StartTable();
    fbb.AddElement<int64_t>(slot(0), f.dictionary->id, 0);
    fbb.AddOffset(slot(1), index_type);
    fbb.AddElement<uint8_t>(slot(2), f.dictionary->ordered ? 1 : 0, 0);
    dictionary = Table(fbb.EndTable(start));
  }
  auto [type_tag, type] = encode_type(fbb, f);
  auto name = fbb.CreateString(f.name);

  auto start = fbb.StartTable();
  fbb.AddOffset(slot(0), name);
  fbb.AddElement<uint8_t>(slot(1), f.nullable ? 1 : 0, 0);
  fbb.AddElement<uint8_t>(slot(2), type_tag, 0);
  fbb.AddOffset(slot(3), type);
  fbb.AddOffset(slot(4), dictionary);
  fbb.AddOffset(slot(5), children_vector);
  fbb.AddOffset(slot(6), metadata_vector);
  return Table(fbb.EndTable(start));
}

}  // namespace

std::vector<ArrowField> fields_from_schema(const ArrowSchema& schema) {
  std::string_view fmt = schema.format ? schema.format : "";
  if (fmt != "+s") unsupported(fmt, "(result)", "a result exports as a struct");
  std::vector<ArrowField> fields;
  int64_t next_dictionary_id = 0;
  for (int64_t i = 0; i < schema.n_children; ++i)
    fields.push_back(field_from_schema(*schema.children[i], next_dictionary_id));
  return fields;
}

std::string encode_schema_message(const std::vector<ArrowField>& fields) {
  flatbuffers::FlatBufferBuilder fbb(1024);
  fbb.ForceDefaults(true);
  std::vector<Table> encoded;
  for (const ArrowField& f : fields) encoded.push_back(encode_field(fbb, f));
  auto fields_vector = fbb.CreateVector(encoded);
  auto start = fbb.StartTable();
  fbb.AddElement<int16_t>(slot(0), 0, 0);  // endianness: Little
  fbb.AddOffset(slot(1), fields_vector);
  Table schema(fbb.EndTable(start));
  std::string out;
  frame_message(fbb, kMessageSchema, schema, nullptr, out);
  return out;
}

std::string end_of_stream_marker() { return std::string("\xFF\xFF\xFF\xFF\0\0\0\0", 8); }

}  // namespace pond::engine::detail
