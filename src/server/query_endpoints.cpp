// executeQuery, fetchArrow and cancelQuery: running SQL on a connection of its own, streaming
// the rows chunk by chunk (JSON or Arrow), holding results for paged fetches, stopping queries.

#include <httplib.h>

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

  std::shared_ptr<ActiveQuery> query = registry_.start(workspace_.open_connection(), id);
  auto guard = std::make_unique<RunningQueryGuard>(registry_, query->id());
  std::unique_ptr<ResultStream> stream;
  try {
    query->result = query->connection().prepare(sql).execute(params, engine::ExecMode::streaming);
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
    ErrorBody error = query_error(*query, e);
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
  std::shared_ptr<ResultStream> shared = std::move(stream);
  response.set_chunked_content_provider(format == ResultFormat::arrow ? kArrowStreamType : "application/json",
                                        [shared](size_t, httplib::DataSink& sink) { return shared->pump(sink); });
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
