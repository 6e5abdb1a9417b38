#include "server/result_stream.hpp"

#include <httplib.h>

#include <algorithm>
#include <utility>

#include "server/result_json.hpp"

namespace pond::server {
namespace {

constexpr size_t kFlushBytes = 64 * 1024;  // a stream writes once this much is ready
// httplib copies each write twice (into the chunk it frames); pieces this small stay in
// malloc's heap instead of costing an mmap, page faults and munmap each.
constexpr size_t kWriteSlice = 64 * 1024;

[[noreturn]] void too_large(size_t max_bytes, const char* what) {
  throw HttpError(413, "too_large",
                  std::string(what) + " is larger than the server sends in one response (" + std::to_string(max_bytes) +
                      " bytes, pond serve --max-result-bytes); add a LIMIT or fetch pages (\"hold\": true)");
}

std::optional<engine::Chunk> next_chunk(ActiveQuery& query) {
  query.throw_if_stopped();
  std::optional<engine::Chunk> chunk = std::move(query.pending);
  query.pending.reset();
  if (!chunk) chunk = query.result->next_chunk();
  return chunk;
}

}  // namespace

ErrorBody query_error(const ActiveQuery& query, const std::exception& error) {
  const StopReason reason = query.stop_reason();
  const nlohmann::json detail = {{"queryId", query.id()}, {"engine", error.what()}};
  switch (reason) {
    case StopReason::cancelled:
    case StopReason::client_gone:
      return {409, error_json("cancelled", ActiveQuery::describe(reason), detail)};
    case StopReason::timeout:
      return {504, error_json("timeout", ActiveQuery::describe(reason), detail)};
    case StopReason::shutdown:
      return {503, error_json("shutting_down", ActiveQuery::describe(reason), detail)};
    case StopReason::none:
      break;
  }
  return error_body_for(error);
}

ResultStream::ResultStream(ResultFormat format, std::shared_ptr<ActiveQuery> query,
                           std::unique_ptr<RunningQueryGuard> guard, Metrics& metrics, size_t max_bytes)
    : format_(format), metrics_(metrics), max_bytes_(max_bytes), query_(std::move(query)), guard_(std::move(guard)) {
  if (format_ == ResultFormat::arrow) arrow_.emplace(query_->result->columns());
}

ResultStream::~ResultStream() {
  if (finished_) return;
  // httplib gave up on the response: the client went away or stopped reading.
  query_->stop(StopReason::client_gone);
  metrics_.client_gone();
  metrics_.query_done(ActiveQuery::Clock::now() - query_->started(), "client_gone");
}

void ResultStream::finish(const std::string& error_code) {
  finished_ = true;
  metrics_.query_done(ActiveQuery::Clock::now() - query_->started(), error_code);
  arrow_.reset();
  guard_.reset();
}

std::string ResultStream::json_trailer(const ErrorBody* error) const {
  nlohmann::json tail = {{"rowCount", rows_}, {"status", error ? "error" : "ok"}};
  if (!query_->result->returns_rows()) tail["rowsChanged"] = query_->result->rows_changed();
  if (error) tail["error"] = error->body;
  const std::string text = tail.dump();
  return "]," + text.substr(1) + "\n";  // continues the object the header opened
}

bool ResultStream::fill(std::string& out) {
  while (out.size() < kFlushBytes) {
    std::optional<engine::Chunk> chunk = next_chunk(*query_);
    if (!chunk) return false;
    if (format_ == ResultFormat::arrow) {
      arrow_->append_record_batch(*chunk, out);
    } else {
      append_rows_json(out, *chunk, 0, chunk->row_count(), first_row_);
    }
    rows_ += chunk->row_count();
    if (bytes_ + out.size() > max_bytes_) too_large(max_bytes_, "the result");
  }
  return true;
}

ResultStream::PieceEnd ResultStream::build_piece() {
  // One buffer for the whole response: its capacity is kept from piece to piece.
  std::string& out = buffer_;
  out.clear();
  if (!header_sent_) {
    if (format_ == ResultFormat::arrow) {
      out = arrow_->schema_message();
    } else {
      nlohmann::json head = {{"queryId", query_->id()}, {"columns", columns_json(query_->result->columns())}};
      out = head.dump();
      out.back() = ',';
      out += "\"rows\":[";
    }
    header_sent_ = true;
  }
  bool more = false;
  std::optional<ErrorBody> error;
  try {
    more = fill(out);
  } catch (const std::exception& e) {
    error = query_error(*query_, e);
  }
  if (error && format_ == ResultFormat::arrow) {
    // An Arrow stream cannot carry an error: it ends without its end marker, so that every
    // reader reports a truncated stream instead of a short result.
    finish(error->body["code"].get<std::string>());
    return PieceEnd::broken;
  }
  if (!more) {
    out += format_ == ResultFormat::arrow ? engine::ArrowStreamWriter::end_of_stream()
                                          : json_trailer(error ? &*error : nullptr);
    end_code_ = error ? error->body["code"].get<std::string>() : std::string();
  }
  bytes_ += out.size();
  return more ? PieceEnd::more : PieceEnd::last;
}

std::optional<std::string> ResultStream::whole_response() {
  const PieceEnd end = build_piece();
  if (end != PieceEnd::last) {
    built_ = end;
    return std::nullopt;
  }
  finish(end_code_);  // the server's logger counts the bytes of a whole body
  return std::exchange(buffer_, std::string());
}

bool ResultStream::pump(httplib::DataSink& sink) {
  const PieceEnd end = built_ ? *built_ : build_piece();
  built_.reset();
  if (end == PieceEnd::broken) {
    write_slices(sink, buffer_);
    return false;
  }
  if (!write_slices(sink, buffer_)) return false;
  metrics_.add_bytes_out(buffer_.size());
  if (end == PieceEnd::last) {
    finish(end_code_);
    sink.done();
    std::string().swap(buffer_);
  }
  return true;
}

bool ResultStream::write_slices(httplib::DataSink& sink, const std::string& out) {
  for (size_t at = 0; at < out.size(); at += kWriteSlice) {
    if (!sink.write(out.data() + at, std::min(kWriteSlice, out.size() - at))) return false;
  }
  return true;
}

Page read_page(ActiveQuery& query, ResultFormat format, size_t max_rows, size_t max_bytes) {
  Page page;
  std::optional<engine::ArrowStreamWriter> arrow;
  std::string rows;
  bool first_row = true;
  if (format == ResultFormat::arrow) {
    arrow.emplace(query.result->columns());
    page.body = arrow->schema_message();
  }
  while (page.rows < max_rows) {
    std::optional<engine::Chunk> chunk = next_chunk(query);
    if (!chunk) break;
    if (arrow) {
      page.body += arrow->record_batch(*chunk);
    } else {
      append_rows_json(rows, *chunk, 0, chunk->row_count(), first_row);
    }
    page.rows += chunk->row_count();
    if (page.body.size() + rows.size() > max_bytes) too_large(max_bytes, "the page");
  }
  if (!query.pending) query.pending = query.result->next_chunk();
  page.done = !query.pending.has_value();
  if (arrow) {
    page.body += engine::ArrowStreamWriter::end_of_stream();
  } else {
    nlohmann::json head = {{"queryId", query.id()}, {"columns", columns_json(query.result->columns())}};
    page.body = head.dump();
    page.body.back() = ',';
    page.body += "\"rows\":[" + rows + "],\"rowCount\":" + std::to_string(page.rows) +
                 ",\"done\":" + (page.done ? "true" : "false") + "}\n";
  }
  return page;
}

}  // namespace pond::server
