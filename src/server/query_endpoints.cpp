// executeQuery, fetchArrow and cancelQuery: running SQL on a connection of its own, streaming
// the rows chunk by chunk (JSON or Arrow), holding results for paged fetches, stopping queries.

#include <httplib.h>

#include <optional>

#include "engine/error.hpp"
#include "server/http_error.hpp"
#include "server/request_body.hpp"
#include "server/result_json.hpp"
#include "server/result_stream.hpp"
#include "server/server.hpp"
#include "workspace/pond_statement.hpp"

namespace pond::server {
namespace {

ResultFormat negotiate(const httplib::Request& request) {
  const std::string accept = request.get_header_value("Accept");
  if (accept.find(kArrowStreamType) != std::string::npos) return ResultFormat::arrow;
  if (accept.empty() || accept.find("application/json") != std::string::npos ||
      accept.find("*/*") != std::string::npos || accept.find("application/*") != std::string::npos) {
    return ResultFormat::json;
  }
  throw HttpError(406, "not_acceptable",
                  "cannot answer in '" + accept + "'; ask for application/json or " + kArrowStreamType);
}

// Statements that change rows at most: after them (in autocommit, which they cannot leave)
// a connection carries no setting, transaction or temporary object into the next request.
bool leaves_session_alone(engine::StatementKind kind) {
  using engine::StatementKind;
  return kind == StatementKind::select || kind == StatementKind::insert || kind == StatementKind::update ||
         kind == StatementKind::delete_rows;
}

void refuse_pond_statement(const std::string& sql) {
  if (workspace::parse_pond_statement(sql)) {
    throw HttpError(400, "usage",
                    "workspace statements (ATTACH, DETACH, USE, secrets, MATERIALIZE, SHOW SOURCES ...) are not run "
                    "by executeQuery; use the workspace endpoints (attach, detach, sources, materialize, refresh)");
  }
}

}  // namespace

void Server::execute_query(const httplib::Request& request, httplib::Response& response) {
  RequestBody body = RequestBody::parse(request.body, {"sql", "params", "hold", "queryId"});
  const std::string sql = body.required_string("sql");
  const std::vector<engine::Param> params = body.params("params");
  const bool hold = body.optional_bool("hold", false);
  const std::string id = body.optional_string("queryId").value_or("");
  check_query_id(id);
  const ResultFormat format = negotiate(request);
  refuse_pond_statement(sql);

  ConnectionLease lease = pool_.acquire();
  lease.set_reusable(true);  // nothing ran on it yet
  std::shared_ptr<ActiveQuery> query = registry_.start(std::move(lease), id);
  auto guard = std::make_unique<RunningQueryGuard>(registry_, query->id());
  std::unique_ptr<ResultStream> stream;
  try {
    // Not reused unless the statement is known to leave the session as it found it.
    query->lease().set_reusable(false);
    // A source that is unavailable gets one more restore attempt when a statement names it, as
    // in the shell (rate-limited; never for a refused login). One atomic load when none is.
    workspace_.unavailable_source_named_in(sql);
    std::shared_ptr<engine::PreparedStatement> statement = query->connection().prepare_cached(sql);
    const bool plain = leaves_session_alone(statement->kind());
    // Anything else (DDL, SET, BEGIN, PRAGMA ...) may change the catalog: no pooled connection
    // keeps plans from before it. Invalidated again after it ran (it may have failed half-way).
    std::optional<InvalidateOnExit> catalog_changes;
    if (!plain) catalog_changes.emplace(pool_);
    query->result = statement->execute(params, engine::ExecMode::streaming);
    query->lease().set_reusable(plain);
    query->throw_if_stopped();
    // The first chunk is read before answering, so that most errors get their HTTP status.
    query->pending = query->result->next_chunk();
    if (hold) {
      registry_.hold(query);
      guard->release();
    } else {
      stream = std::make_unique<ResultStream>(format, query, std::move(guard), metrics_, options_.max_result_bytes);
    }
  } catch (const std::exception& e) {
    // DuckDB's "table does not exist" hides the cause when the statement names a source that
    // is unavailable: say that instead, as the shell does.
    std::optional<Error> unavailable;
    try {
      if (query->stop_reason() == StopReason::none) unavailable = workspace_.unavailable_source_named_in(sql);
    } catch (const std::exception&) {
      // Looking for a culprit must not hide the original error.
    }
    ErrorBody error = unavailable ? query_error(*query, *unavailable) : query_error(*query, e);
    metrics_.query_done(ActiveQuery::Clock::now() - query->started(), error.body["code"].get<std::string>());
    send_json(response, error.body, error.status);
    return;
  }
  if (hold) {
    metrics_.query_done(ActiveQuery::Clock::now() - query->started(), "");
    send_json(response,
              {{"queryId", query->id()}, {"columns", columns_json(query->result->columns())}, {"held", true}});
    return;
  }
  response.set_header("Pond-Query-Id", query->id());
  const char* type = format == ResultFormat::arrow ? kArrowStreamType : "application/json";
  if (std::optional<std::string> whole = stream->whole_response()) {
    // A small result, complete: headers and body go out in two writes instead of three
    // (headers, the one chunk, the closing chunk). The connection is free before they are sent.
    response.set_content(*whole, type);
    return;
  }
  std::shared_ptr<ResultStream> shared = std::move(stream);
  response.set_chunked_content_provider(type, [shared](size_t, httplib::DataSink& sink) { return shared->pump(sink); });
}

void Server::fetch_arrow(const httplib::Request& request, httplib::Response& response) {
  RequestBody body = RequestBody::parse(request.body, {"queryId", "maxRows"});
  const std::string id = body.required_string("queryId");
  const size_t max_rows = static_cast<size_t>(
      body.optional_positive_int("maxRows").value_or(static_cast<int64_t>(options_.default_page_rows)));
  // fetchArrow answers in Arrow unless the client asks for JSON only.
  const std::string accept = request.get_header_value("Accept");
  const ResultFormat format =
      accept.empty() || accept.find("*/*") != std::string::npos ? ResultFormat::arrow : negotiate(request);

  std::shared_ptr<ActiveQuery> query = registry_.check_out(id);
  Page page;
  try {
    page = read_page(*query, format, max_rows, options_.max_result_bytes);
  } catch (const std::exception& e) {
    ErrorBody error = query_error(*query, e);
    registry_.check_in(query, true);
    send_json(response, error.body, error.status);
    return;
  }
  registry_.check_in(query, page.done);
  response.set_header("Pond-Query-Id", id);
  response.set_header("Pond-Row-Count", std::to_string(page.rows));
  response.set_header("Pond-Result-Done", page.done ? "true" : "false");
  response.set_content(std::move(page.body), format == ResultFormat::arrow ? kArrowStreamType : "application/json");
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
