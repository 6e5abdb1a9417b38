#pragma once
// Internal to the engine: the envelope of an Arrow IPC message and the body of a record batch.
// A message is 0xFFFFFFFF, an int32 metadata length (a multiple of 8), the Message flatbuffer
// padded with zeros to that length, then the body. Assumes a little-endian host (as Arrow does
// by default). Not thread-safe.

#include <flatbuffers/flatbuffers.h>

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace pond::engine::detail {

// MessageHeader union member ids.
inline constexpr uint8_t kMessageSchema = 1;
inline constexpr uint8_t kMessageDictionaryBatch = 2;
inline constexpr uint8_t kMessageRecordBatch = 3;

struct IpcFieldNode {
  int64_t length;
  int64_t null_count;
};
struct IpcBuffer {
  int64_t offset;
  int64_t length;
};

// The nodes and buffers of one record batch, laid out at kBodyAlignment. Buffers either borrow
// bytes (which must stay valid until write_to) or own a copy.
class MessageBody {
 public:
  void add_node(int64_t length, int64_t null_count) { nodes_.push_back({length, null_count}); }
  void add_buffer(const void* data, int64_t size);
  void add_owned(std::string bytes);

  const std::vector<IpcFieldNode>& nodes() const { return nodes_; }
  const std::vector<IpcBuffer>& buffers() const { return buffers_; }
  // The body's length, padded to 8 bytes.
  int64_t length() const;
  void write_to(std::string& out) const;

 private:
  std::vector<IpcFieldNode> nodes_;
  std::vector<IpcBuffer> buffers_;
  std::vector<const uint8_t*> data_;
  std::deque<std::string> owned_;
  int64_t end_ = 0;
};

// A RecordBatch table (length, nodes, buffers) for `body`.
flatbuffers::Offset<void> encode_record_batch(flatbuffers::FlatBufferBuilder& fbb, int64_t length,
                                              const MessageBody& body);

// Finishes `fbb` with a Message (version V5) holding `header` and appends the framed message and
// its body (none when `body` is null) to `out`.
void frame_message(flatbuffers::FlatBufferBuilder& fbb, uint8_t header_type, flatbuffers::Offset<void> header,
                   const MessageBody* body, std::string& out);

}  // namespace pond::engine::detail
