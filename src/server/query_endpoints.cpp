// executeQuery, fetchArrow and cancelQuery: running SQL on a connection of its own, streaming
// the rows chunk by chunk, holding results for paged fetches, and stopping queries.

#include <httplib.h>

#include "engine/error.hpp"
#include "server/http_error.hpp"
#include "server/request_body.hpp"
#include "server/result_json.hpp"
#include "server/server.hpp"
#include "workspace/pond_statement.hpp"

namespace pond::server {
namespace {

constexpr size_t kFlushBytes = 64 * 1024;  // a stream writes once this much is ready

enum class Format { json, arrow };

Format negotiate(const httplib::Request& request) {
  const std::string accept = request.get_header_value("Accept");
  if (accept.empty() || accept.find("application/json") != std::string::npos ||
      accept.find("*/*") != std::string::npos || accept.find("application/*") != std::string::npos) {
    return Format::json;
  }
  throw HttpError(406, "not_acceptable", "cannot answer in '" + accept + "'; ask for application/json");
}

// What a client sees when its query failed: a stop (cancelQuery, timeout, shutdown) is named
// as such; anything else is mapped as every error is.
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

// A client may name its query (to cancel it before the first rows arrive): 8-64 characters
// of letters, digits, '-' and '_'.
void check_query_id(const std::string& id) {
  if (id.empty()) return;
  bool valid = id.size() >= 8 && id.size() <= 64;
  for (char c : id) valid = valid && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
  if (!valid) {
    throw HttpError(
        400, "invalid_input",
        "field 'queryId' must be 8 to 64 letters, digits, '-' or '_' (or be left out: the server picks one)");
  }
}

void refuse_pond_statement(const std::string& sql) {
  if (workspace::parse_pond_statement(sql)) {
    throw HttpError(400, "usage",
                    "workspace statements (ATTACH, DETACH, USE, secrets, MATERIALIZE, SHOW SOURCES ...) are not run "
                    "by executeQuery; use the workspace endpoints (attach, detach, sources, materialize, refresh)");
  }
}

// The state of one executeQuery response while httplib pulls it chunk by chunk.
struct JsonQueryStream {
  Metrics* metrics = nullptr;
  size_t max_bytes = 0;
  std::shared_ptr<ActiveQuery> query;
  std::unique_ptr<RunningQueryGuard> guard;
  std::string header;
  bool header_sent = false;
  bool first_row = true;
  bool finished = false;
  size_t rows = 0;
  size_t bytes = 0;

  ~JsonQueryStream() {
    if (finished) return;
    // httplib gave up on the response: the client went away or stopped reading.
    query->stop(StopReason::client_gone);
    metrics->client_gone();
    metrics->query_done(ActiveQuery::Clock::now() - query->started(), "client_gone");
  }

  std::string trailer(const ErrorBody* error) const {
    nlohmann::json tail = {{"rowCount", rows}, {"status", error ? "error" : "ok"}};
    if (!query->result->returns_rows()) tail["rowsChanged"] = query->result->rows_changed();
    if (error) tail["error"] = error->body;
    std::string text = tail.dump();
    return "]," + text.substr(1) + "\n";  // continue the open object
  }

  // Appends up to kFlushBytes of rows; returns false once the result is exhausted.
  bool fill(std::string& out) {
    while (out.size() < kFlushBytes) {
      query->throw_if_stopped();
      std::optional<engine::Chunk> chunk = std::move(query->pending);
      query->pending.reset();
      if (!chunk) chunk = query->result->next_chunk();
      if (!chunk) return false;
      append_rows_json(out, *chunk, 0, chunk->row_count(), first_row);
      rows += chunk->row_count();
      if (bytes + out.size() > max_bytes) {
        throw HttpError(413, "too_large",
                        "the result is larger than the server sends in one response (" + std::to_string(max_bytes) +
                            " bytes, pond serve --max-result-bytes); add a LIMIT or fetch pages with \"hold\": true");
      }
    }
    return true;
  }

  bool pump(httplib::DataSink& sink) {
    std::string out;
    if (!header_sent) {
      out = header;
      header_sent = true;
    }
    bool more = false;
    std::optional<ErrorBody> error;
    try {
      more = fill(out);
    } catch (const std::exception& e) {
      error = query_error(*query, e);
    }
    if (!more) out += trailer(error ? &*error : nullptr);
    bytes += out.size();
    if (!sink.write(out.data(), out.size())) return false;
    metrics->add_bytes_out(out.size());
    if (!more) {
      finished = true;
      metrics->query_done(ActiveQuery::Clock::now() - query->started(),
                          error ? error->body["code"].get<std::string>() : std::string());
      guard.reset();
      sink.done();
    }
    return true;
  }
};

}  // namespace

void Server::execute_query(const httplib::Request& request, httplib::Response& response) {
  RequestBody body = RequestBody::parse(request.body, {"sql", "params", "hold", "queryId"});
  const std::string sql = body.required_string("sql");
  const std::string id = body.optional_string("queryId").value_or("");
  check_query_id(id);
  const std::vector<engine::Param> params = body.params("params");
  const bool hold = body.optional_bool("hold", false);
  negotiate(request);
  refuse_pond_statement(sql);

  std::shared_ptr<ActiveQuery> query = registry_.start(workspace_.open_connection(), id);
  auto guard = std::make_unique<RunningQueryGuard>(registry_, query->id());
  try {
    query->result = query->connection().prepare(sql).execute(params, engine::ExecMode::streaming);
    query->throw_if_stopped();
    // The first chunk is read before answering, so that most errors get their HTTP status.
    query->pending = query->result->next_chunk();
  } catch (const std::exception& e) {
    ErrorBody error = query_error(*query, e);
    metrics_.query_done(ActiveQuery::Clock::now() - query->started(), error.body["code"].get<std::string>());
    send_json(response, error.body, error.status);
    return;
  }
  const nlohmann::json columns = columns_json(query->result->columns());
  if (hold) {
    registry_.hold(query);
    guard->release();
    metrics_.query_done(ActiveQuery::Clock::now() - query->started(), "");
    send_json(response, {{"queryId", query->id()}, {"columns", columns}, {"held", true}});
    return;
  }
  auto stream = std::make_shared<JsonQueryStream>();
  stream->metrics = &metrics_;
  stream->max_bytes = options_.max_result_bytes;
  stream->header = nlohmann::json{{"queryId", query->id()}, {"columns", columns}}.dump();
  stream->header.back() = ',';
  stream->header += "\"rows\":[";
  stream->query = std::move(query);
  stream->guard = std::move(guard);
  response.set_header("Pond-Query-Id", stream->query->id());
  response.set_chunked_content_provider("application/json",
                                        [stream](size_t, httplib::DataSink& sink) { return stream->pump(sink); });
}

void Server::fetch_arrow(const httplib::Request& request, httplib::Response& response) {
  RequestBody body = RequestBody::parse(request.body, {"queryId", "maxRows"});
  const std::string id = body.required_string("queryId");
  const size_t max_rows = static_cast<size_t>(
      body.optional_positive_int("maxRows").value_or(static_cast<int64_t>(options_.default_page_rows)));
  negotiate(request);

  std::shared_ptr<ActiveQuery> query = registry_.check_out(id);
  bool exhausted = false;
  try {
    // A page is whole chunks: it ends with the chunk that reaches max_rows. The chunk after
    // it is read ahead, so that the page can say whether more follow.
    std::string rows;
    bool first_row = true;
    size_t count = 0;
    while (count < max_rows) {
      query->throw_if_stopped();
      std::optional<engine::Chunk> chunk = std::move(query->pending);
      query->pending.reset();
      if (!chunk) chunk = query->result->next_chunk();
      if (!chunk) break;
      append_rows_json(rows, *chunk, 0, chunk->row_count(), first_row);
      count += chunk->row_count();
      if (rows.size() > options_.max_result_bytes) {
        throw HttpError(413, "too_large",
                        "the page is larger than the server sends in one response (" +
                            std::to_string(options_.max_result_bytes) +
                            " bytes, pond serve --max-result-bytes); ask for fewer maxRows");
      }
    }
    if (!query->pending) query->pending = query->result->next_chunk();
    exhausted = !query->pending.has_value();
    nlohmann::json head = {{"queryId", id}, {"columns", columns_json(query->result->columns())}};
    std::string text = head.dump();
    text.back() = ',';
    text += "\"rows\":[" + rows + "],\"rowCount\":" + std::to_string(count) +
            ",\"done\":" + (exhausted ? "true" : "false") + "}\n";
    response.set_header("Pond-Result-Done", exhausted ? "true" : "false");
    response.set_content(std::move(text), "application/json");
  } catch (const std::exception& e) {
    ErrorBody error = query_error(*query, e);
    registry_.check_in(query, true);
    send_json(response, error.body, error.status);
    return;
  }
  registry_.check_in(query, exhausted);
}

void Server::cancel_query(const httplib::Request& request, httplib::Response& response) {
  RequestBody body = RequestBody::parse(request.body, {"queryId"});
  const std::string id = body.required_string("queryId");
  if (!registry_.cancel(id)) {
    throw HttpError(404, "not_found", "no running or held query with queryId '" + id + "' (it may have finished)");
  }
  send_json(response, {{"queryId", id}, {"cancelled", true}});
}

}  // namespace pond::server
