#pragma once
// ResultStream — the body of one executeQuery response while httplib pulls it: the rows of
// the query's streaming result, chunk by chunk, as JSON or as an Arrow IPC stream. A stream
// owns its query's slot (RunningQueryGuard) and releases it when destroyed; if it is
// destroyed before the last byte was sent (the client went away), the query is stopped.
// Used by one worker thread; not thread-safe.

#include <memory>
#include <optional>
#include <string>

#include "engine/arrow_stream.hpp"
#include "server/active_query.hpp"
#include "server/http_error.hpp"
#include "server/metrics.hpp"
#include "server/query_registry.hpp"

namespace httplib {
class DataSink;
}

namespace pond::server {

enum class ResultFormat { json, arrow };

inline constexpr const char* kArrowStreamType = "application/vnd.apache.arrow.stream";

// What a client sees when its query failed: a stop (cancelQuery, timeout, shutdown) is named
// as such; anything else is mapped as every error is.
ErrorBody query_error(const ActiveQuery& query, const std::exception& error);

class ResultStream {
 public:
  // The query must have been executed, its first chunk read ahead into `pending`.
  // For Arrow, throws pond::Error(invalid_input) when a column type cannot be exported.
  ResultStream(ResultFormat format, std::shared_ptr<ActiveQuery> query, std::unique_ptr<RunningQueryGuard> guard,
               Metrics& metrics, size_t max_bytes);
  ~ResultStream();
  ResultStream(const ResultStream&) = delete;
  ResultStream& operator=(const ResultStream&) = delete;

  // The whole response when it fits in the first piece (a small result): the stream is then
  // finished and the caller sends it with a Content-Length (one write fewer than chunked).
  // Otherwise nothing: the piece built is the first that pump() writes.
  std::optional<std::string> whole_response();
  // Writes the next piece (about 64 KiB); false when the connection must be dropped.
  bool pump(httplib::DataSink& sink);

 private:
  enum class PieceEnd { more, last, broken };  // broken: an Arrow stream that must end cut off
  PieceEnd build_piece();
  bool fill(std::string& out);
  bool write_slices(httplib::DataSink& sink, const std::string& out);
  std::string json_trailer(const ErrorBody* error) const;
  void finish(const std::string& error_code);

  ResultFormat format_;
  Metrics& metrics_;
  size_t max_bytes_;
  std::shared_ptr<ActiveQuery> query_;
  std::unique_ptr<RunningQueryGuard> guard_;
  std::optional<engine::ArrowStreamWriter> arrow_;  // after query_: uses its connection
  std::string buffer_;                              // the piece being written; reused
  bool header_sent_ = false;
  bool first_row_ = true;
  bool finished_ = false;
  std::optional<PieceEnd> built_;  // a piece in buffer_ that whole_response() built, unsent
  std::string end_code_;           // the error code the last piece reports ("" for none)
  size_t rows_ = 0;
  size_t bytes_ = 0;
};

// One fetchArrow page: whole chunks of the held result until `max_rows` is reached, then the
// next chunk read ahead. Arrow pages are complete streams (schema, batches, end marker).
struct Page {
  std::string body;
  size_t rows = 0;
  bool done = false;  // the result has no rows after this page
};
Page read_page(ActiveQuery& query, ResultFormat format, size_t max_rows, size_t max_bytes);

}  // namespace pond::server
