#include "engine/arrow_ipc_message.hpp"

#include <cstring>

#include "engine/arrow_ipc.hpp"

namespace pond::engine::detail {
namespace {

constexpr flatbuffers::voffset_t slot(int field) { return static_cast<flatbuffers::voffset_t>(4 + 2 * field); }
constexpr int64_t round_up(int64_t n, int64_t to) { return (n + to - 1) / to * to; }
constexpr int16_t kMetadataVersionV5 = 4;

void append_int32(std::string& out, uint32_t v) {
  char bytes[4];
  std::memcpy(bytes, &v, 4);
  out.append(bytes, 4);
}

}  // namespace

void MessageBody::add_buffer(const void* data, int64_t size) {
  // Empty buffers (validity of a column without nulls) point at the body's start.
  int64_t offset = size == 0 ? 0 : round_up(end_, kBodyAlignment);
  buffers_.push_back({offset, size});
  data_.push_back(static_cast<const uint8_t*>(data));
  if (size > 0) end_ = offset + size;
}

void MessageBody::add_owned(std::string bytes) {
  owned_.push_back(std::move(bytes));
  add_buffer(owned_.back().data(), static_cast<int64_t>(owned_.back().size()));
}

int64_t MessageBody::length() const { return round_up(end_, 8); }

void MessageBody::write_to(std::string& out) const {
  // Appended piece by piece (no zero-fill of the whole body first): the body is most of the bytes.
  const size_t base = out.size();
  for (size_t i = 0; i < buffers_.size(); ++i) {
    if (buffers_[i].length == 0) continue;
    out.append(base + static_cast<size_t>(buffers_[i].offset) - out.size(), '\0');
    out.append(reinterpret_cast<const char*>(data_[i]), static_cast<size_t>(buffers_[i].length));
  }
  out.append(base + static_cast<size_t>(length()) - out.size(), '\0');
}

flatbuffers::Offset<void> encode_record_batch(flatbuffers::FlatBufferBuilder& fbb, int64_t length,
                                              const MessageBody& body) {
  auto nodes = fbb.CreateVectorOfStructs(body.nodes().data(), body.nodes().size());
  auto buffers = fbb.CreateVectorOfStructs(body.buffers().data(), body.buffers().size());
  auto start = fbb.StartTable();
  fbb.AddElement<int64_t>(slot(0), length, 0);
  fbb.AddOffset(slot(1), nodes);
  fbb.AddOffset(slot(2), buffers);
  return flatbuffers::Offset<void>(fbb.EndTable(start));
}

void frame_message(flatbuffers::FlatBufferBuilder& fbb, uint8_t header_type, flatbuffers::Offset<void> header,
                   const MessageBody* body, std::string& out) {
  auto start = fbb.StartTable();
  fbb.AddElement<int16_t>(slot(0), kMetadataVersionV5, 0);
  fbb.AddElement<uint8_t>(slot(1), header_type, 0);
  fbb.AddOffset(slot(2), header);
  fbb.AddElement<int64_t>(slot(3), body ? body->length() : 0, 0);
  fbb.Finish(flatbuffers::Offset<void>(fbb.EndTable(start)));

  const auto size = static_cast<int64_t>(fbb.GetSize());
  const int64_t padded = round_up(size, 8);
  out.reserve(out.size() + 8 + static_cast<size_t>(padded) + static_cast<size_t>(body ? body->length() : 0));
  append_int32(out, 0xFFFFFFFFu);
  append_int32(out, static_cast<uint32_t>(padded));
  out.append(reinterpret_cast<const char*>(fbb.GetBufferPointer()), static_cast<size_t>(size));
  out.append(static_cast<size_t>(padded - size), '\0');
  if (body) body->write_to(out);
}

}  // namespace pond::engine::detail
