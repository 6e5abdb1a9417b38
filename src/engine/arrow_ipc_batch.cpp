// RecordBatch and DictionaryBatch messages from exported ArrowArrays. Buffers are borrowed when
// they can be (the ArrowArray outlives the encode call); slices with a bit offset, offsets that
// do not start at zero and string views are copied.

#include <bit>
#include <cstring>

#include "engine/arrow_ipc.hpp"
#include "engine/arrow_ipc_message.hpp"
#include "engine/error.hpp"

namespace pond::engine::detail {
namespace {

constexpr flatbuffers::voffset_t slot(int field) { return static_cast<flatbuffers::voffset_t>(4 + 2 * field); }

const uint8_t* buffer(const ArrowArray& a, int64_t i) {
  return i < a.n_buffers ? static_cast<const uint8_t*>(a.buffers[i]) : nullptr;
}

int64_t count_unset_bits(const uint8_t* bits, int64_t start, int64_t length) {
  int64_t set = 0;
  int64_t i = start;
  const int64_t end = start + length;
  for (; i < end && i % 8 != 0; ++i) set += (bits[i / 8] >> (i % 8)) & 1;
  for (; i + 64 <= end; i += 64) {
    uint64_t word;
    std::memcpy(&word, bits + i / 8, 8);
    set += std::popcount(word);
  }
  for (; i < end; ++i) set += (bits[i / 8] >> (i % 8)) & 1;
  return length - set;
}

// Bits [start, start + length) of `bits`, borrowed when byte-aligned, else copied to bit 0.
void add_bitmap(MessageBody& body, const uint8_t* bits, int64_t start, int64_t length) {
  const int64_t bytes = (length + 7) / 8;
  if (start % 8 == 0) return body.add_buffer(bits + start / 8, bytes);
  std::string copy(static_cast<size_t>(bytes), '\0');
  for (int64_t i = 0; i < length; ++i) {
    if ((bits[(start + i) / 8] >> ((start + i) % 8)) & 1)
      copy[static_cast<size_t>(i / 8)] |= static_cast<char>(1 << (i % 8));
  }
  body.add_owned(std::move(copy));
}

// Offsets [start, start + length] rebased to start at zero; returns the first and last offset.
template <typename Offset>
std::pair<int64_t, int64_t> add_offsets(MessageBody& body, const uint8_t* raw, int64_t start, int64_t length) {
  if (length == 0 || !raw) {
    body.add_owned(std::string(sizeof(Offset), '\0'));
    return {0, 0};
  }
  const Offset* offsets = reinterpret_cast<const Offset*>(raw) + start;
  const Offset first = offsets[0];
  const Offset last = offsets[length];
  const auto count = static_cast<size_t>(length + 1);
  if (first == 0) {
    body.add_buffer(offsets, static_cast<int64_t>(count * sizeof(Offset)));
  } else {
    std::string copy(count * sizeof(Offset), '\0');
    auto* out = reinterpret_cast<Offset*>(copy.data());
    for (size_t i = 0; i < count; ++i) out[i] = static_cast<Offset>(offsets[i] - first);
    body.add_owned(std::move(copy));
  }
  return {first, last};
}

struct PendingDictionary {
  const ArrowField* field;
  const ArrowArray* values;
};

class BatchWriter {
 public:
  explicit BatchWriter(MessageBody& body) : body_(body) {}
  std::vector<PendingDictionary> dictionaries;

  // Writes `length` values of `a` from logical index `start` (a.offset is added here).
  void write(const ArrowField& f, const ArrowArray& a, int64_t start, int64_t length, bool as_values = false) {
    const int64_t p = a.offset + start;
    if (f.dictionary && !as_values) {
      if (!a.dictionary) throw Error(ErrorKind::internal, "Arrow export: column '" + f.name + "' lacks its dictionary");
      dictionaries.push_back({&f, a.dictionary});
      write_validity(a, start, length);
      const int64_t width = f.dictionary->index_bits / 8;
      return body_.add_buffer(buffer(a, 1) + p * width, length * width);
    }
    switch (f.kind) {
      case ArrowKind::null:
        return body_.add_node(length, length);
      case ArrowKind::sparse_union:
      case ArrowKind::dense_union:
        return write_union(f, a, p, length);
      default:
        break;
    }
    write_validity(a, start, length);
    switch (f.kind) {
      case ArrowKind::boolean:
        return add_bitmap(body_, buffer(a, 1), p, length);
      case ArrowKind::integer:
      case ArrowKind::floating:
      case ArrowKind::decimal:
      case ArrowKind::fixed_binary:
      case ArrowKind::date:
      case ArrowKind::time:
      case ArrowKind::timestamp:
      case ArrowKind::duration:
      case ArrowKind::interval:
        return body_.add_buffer(buffer(a, 1) + p * (f.bit_width / 8), length * (f.bit_width / 8));
      case ArrowKind::binary:
      case ArrowKind::utf8:
        return write_bytes<int32_t>(a, p, length);
      case ArrowKind::large_binary:
      case ArrowKind::large_utf8:
        return write_bytes<int64_t>(a, p, length);
      case ArrowKind::binary_view:
      case ArrowKind::utf8_view:
        return write_views(a, p, length);
      case ArrowKind::list:
      case ArrowKind::map:
        return write_list<int32_t>(f, a, p, length);
      case ArrowKind::large_list:
        return write_list<int64_t>(f, a, p, length);
      case ArrowKind::fixed_list:
        return write(f.children.at(0), child(f, a, 0), p * f.fixed_size, length * f.fixed_size);
      case ArrowKind::structure:
        for (size_t i = 0; i < f.children.size(); ++i) write(f.children[i], child(f, a, i), p, length);
        return;
      default:
        throw Error(ErrorKind::internal, "Arrow export: unhandled layout of column '" + f.name + "'");
    }
  }

 private:
  MessageBody& body_;

  static const ArrowArray& child(const ArrowField& f, const ArrowArray& a, size_t i) {
    if (static_cast<int64_t>(i) >= a.n_children || !a.children[i])
      throw Error(ErrorKind::internal, "Arrow export: column '" + f.name + "' lacks a child array");
    return *a.children[i];
  }

  void write_validity(const ArrowArray& a, int64_t start, int64_t length) {
    const uint8_t* bits = buffer(a, 0);
    int64_t nulls = 0;
    if (bits && a.null_count != 0 && length > 0) {
      const bool whole = start == 0 && length == a.length && a.null_count > 0;
      nulls = whole ? a.null_count : count_unset_bits(bits, a.offset + start, length);
    }
    body_.add_node(length, nulls);
    if (nulls == 0) return body_.add_buffer(nullptr, 0);
    add_bitmap(body_, bits, a.offset + start, length);
  }

  template <typename Offset>
  void write_bytes(const ArrowArray& a, int64_t p, int64_t length) {
    auto [first, last] = add_offsets<Offset>(body_, buffer(a, 1), p, length);
    body_.add_buffer(last > first ? buffer(a, 2) + first : nullptr, last - first);
  }

  // Binary/string views become 64-bit offsets and one data buffer.
  void write_views(const ArrowArray& a, int64_t p, int64_t length) {
    const uint8_t* views = buffer(a, 1);
    std::string offsets(static_cast<size_t>(length + 1) * sizeof(int64_t), '\0');
    std::string data;
    auto* out = reinterpret_cast<int64_t*>(offsets.data());
    for (int64_t i = 0; i < length; ++i) {
      const uint8_t* view = views + (p + i) * 16;
      int32_t size;
      std::memcpy(&size, view, 4);
      if (size <= 12) {
        data.append(reinterpret_cast<const char*>(view + 4), static_cast<size_t>(size));
      } else {
        int32_t index, offset;
        std::memcpy(&index, view + 8, 4);
        std::memcpy(&offset, view + 12, 4);
        data.append(reinterpret_cast<const char*>(buffer(a, 2 + index)) + offset, static_cast<size_t>(size));
      }
      out[i + 1] = static_cast<int64_t>(data.size());
    }
    body_.add_owned(std::move(offsets));
    body_.add_owned(std::move(data));
  }

  template <typename Offset>
  void write_list(const ArrowField& f, const ArrowArray& a, int64_t p, int64_t length) {
    auto [first, last] = add_offsets<Offset>(body_, buffer(a, 1), p, length);
    write(f.children.at(0), child(f, a, 0), first, last - first);
  }

  void write_union(const ArrowField& f, const ArrowArray& a, int64_t p, int64_t length) {
    body_.add_node(length, 0);
    body_.add_buffer(buffer(a, 0) + p, length);
    if (f.kind == ArrowKind::sparse_union) {
      for (size_t i = 0; i < f.children.size(); ++i) write(f.children[i], child(f, a, i), p, length);
      return;
    }
    // Dense: offsets point into whole children, so the children are written whole.
    body_.add_buffer(buffer(a, 1) + p * 4, length * 4);
    for (size_t i = 0; i < f.children.size(); ++i) {
      const ArrowArray& c = child(f, a, i);
      write(f.children[i], c, 0, c.length);
    }
  }
};

std::string encode_dictionary(const PendingDictionary& d) {
  MessageBody body;
  BatchWriter writer(body);
  writer.write(*d.field, *d.values, 0, d.values->length, true);
  if (!writer.dictionaries.empty())
    throw Error(ErrorKind::invalid_input, "Arrow export: column '" + d.field->name + "' has nested dictionaries");
  flatbuffers::FlatBufferBuilder fbb(256);
  fbb.ForceDefaults(true);
  auto data = encode_record_batch(fbb, d.values->length, body);
  auto start = fbb.StartTable();
  fbb.AddElement<int64_t>(slot(0), d.field->dictionary->id, 0);
  fbb.AddOffset(slot(1), data);
  fbb.AddElement<uint8_t>(slot(2), 0, 0);  // isDelta: a replacement
  std::string out;
  frame_message(fbb, kMessageDictionaryBatch, flatbuffers::Offset<void>(fbb.EndTable(start)), &body, out);
  return out;
}

}  // namespace

void RecordBatchEncoder::encode(const ArrowArray& batch, std::string& out) {
  if (batch.n_children != static_cast<int64_t>(fields_.size()))
    throw Error(ErrorKind::internal, "Arrow export: a chunk has " + std::to_string(batch.n_children) +
                                         " columns, the schema " + std::to_string(fields_.size()));
  MessageBody body;
  BatchWriter writer(body);
  for (size_t i = 0; i < fields_.size(); ++i) writer.write(fields_[i], *batch.children[i], batch.offset, batch.length);

  for (const PendingDictionary& d : writer.dictionaries) {
    std::string message = encode_dictionary(d);
    std::string& sent = sent_dictionaries_[d.field->dictionary->id];
    if (sent == message) continue;
    out += message;
    sent = std::move(message);
  }
  flatbuffers::FlatBufferBuilder fbb(1024);
  fbb.ForceDefaults(true);
  auto header = encode_record_batch(fbb, batch.length, body);
  frame_message(fbb, kMessageRecordBatch, header, &body, out);
}

}  // namespace pond::engine::detail
