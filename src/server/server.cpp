#include "server/server.hpp"

#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <condition_variable>
#include <iostream>
#include <sstream>

#include "engine/error.hpp"
#include "server/file_sandbox.hpp"
#include "server/http_error.hpp"

namespace pond::server {
namespace {

using Clock = std::chrono::steady_clock;
thread_local Clock::time_point request_started;

constexpr const char* kJson = "application/json";
constexpr int kListenBacklog = 1024;

std::string route_label(const httplib::Request& request) {
  static const char* kRoutes[] = {"/healthz",        "/metrics",         "/v1/listConnections", "/v1/testConnection",
                                  "/v1/listCatalog", "/v1/executeQuery", "/v1/fetchArrow",      "/v1/cancelQuery",
                                  "/v1/attach",      "/v1/detach",       "/v1/sources",         "/v1/materialize",
                                  "/v1/refresh"};
  for (const char* route : kRoutes) {
    if (request.path == route) return route;
  }
  return "other";  // unknown paths share one label: clients cannot grow the metric without bound
}

}  // namespace

bool is_loopback(const std::string& host) { return host == "localhost" || host == "::1" || host.starts_with("127."); }

Server::Server(workspace::Workspace& workspace, ServerOptions options)
    : workspace_(workspace),
      options_(std::move(options)),
      roots_(options_.roots),
      pool_([&workspace] { return workspace.open_connection(); },
            std::max<size_t>(1, std::min(options_.workers, options_.max_concurrent_queries))),
      registry_(options_, [&workspace](const engine::Connection& c) { workspace.interrupt(c); }),
      http_(std::make_unique<httplib::Server>()) {
  if (!is_loopback(options_.host) && options_.token.empty()) {
    throw Error(ErrorKind::usage, "listening on '" + options_.host +
                                      "' (not a loopback address) needs a bearer token: --token-file FILE or "
                                      "--token-env VAR");
  }
  if (options_.workers == 0 || options_.max_concurrent_queries == 0 || options_.max_held_results == 0 ||
      options_.max_request_bytes == 0 || options_.max_result_bytes == 0) {
    throw Error(ErrorKind::usage, "server limits must be at least 1");
  }
  const size_t workers = options_.workers;
  http_->new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  http_->set_payload_max_length(options_.max_request_bytes);
  http_->set_read_timeout(options_.io_timeout_seconds, 0);
  http_->set_write_timeout(options_.io_timeout_seconds, 0);
  http_->set_socket_options([this](int socket) {
    int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    // Accepted sockets inherit it: a streamed response is several writes, and Nagle's
    // algorithm would hold the last one back for the client's delayed ACK (40 ms).
    setsockopt(socket, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    listen_socket_ = socket;
  });
  http_->set_keep_alive_timeout(3);
  http_->set_keep_alive_max_count(100'000);
  // Last: once applied, DuckDB's configuration is locked for the life of the process.
  sandbox_ = std::make_unique<FileSandbox>(roots_, workspace_.sources());
  sandbox_->apply(workspace_.connection());
  install_routes();
}

Server::~Server() {
  shutdown();
  if (grace_timer_.joinable()) {
    grace_timer_.request_stop();
    grace_timer_.join();
  }
}

void Server::send_json(httplib::Response& response, const nlohmann::json& body, int status) {
  response.status = status;
  response.set_content(body.dump() + "\n", kJson);
}

bool Server::authorized(const httplib::Request& request) const {
  if (options_.token.empty() || request.path == "/healthz") return true;
  const std::string header = request.get_header_value("Authorization");
  const std::string prefix = "Bearer ";
  if (header.size() <= prefix.size() || header.compare(0, prefix.size(), prefix) != 0) return false;
  return constant_time_equal(header.substr(prefix.size()), options_.token);
}

void Server::post(const char* name, void (Server::*handler)(const httplib::Request&, httplib::Response&)) {
  http_->Post(std::string("/v1/") + name,
              [this, handler](const httplib::Request& request, httplib::Response& response) {
                (this->*handler)(request, response);
              });
}

void Server::install_routes() {
  http_->set_pre_routing_handler([this](const httplib::Request& request, httplib::Response& response) {
    request_started = Clock::now();
    if (authorized(request)) return httplib::Server::HandlerResponse::Unhandled;
    response.set_header("WWW-Authenticate", "Bearer");
    send_json(response,
              error_json("unauthorized", "missing or wrong bearer token; send 'Authorization: Bearer <token>'"), 401);
    return httplib::Server::HandlerResponse::Handled;
  });
  http_->set_exception_handler([this](const httplib::Request&, httplib::Response& response, std::exception_ptr error) {
    ErrorBody e = error_body_for(error);
    send_json(response, e.body, e.status);
  });
  http_->set_error_handler(
      httplib::Server::HandlerWithResponse([this](const httplib::Request& request, httplib::Response& response) {
        if (!response.body.empty() || response.content_length_ > 0) return httplib::Server::HandlerResponse::Unhandled;
        switch (response.status) {
          case 404:
            send_json(response,
                      error_json("not_found", "no endpoint " + request.method + " " + request.path +
                                                  "; the endpoints are listed in docs/http-api.md"),
                      404);
            break;
          case 413:
            send_json(response,
                      error_json("too_large", "the request body is larger than the server accepts (" +
                                                  std::to_string(options_.max_request_bytes) +
                                                  " bytes, pond serve --max-request-bytes)"),
                      413);
            break;
          default:
            send_json(response,
                      error_json(response.status >= 500 ? "internal" : "invalid_input",
                                 "the HTTP request could not be handled (status " + std::to_string(response.status) +
                                     "); a POST needs a JSON body with Content-Length or chunked encoding"),
                      response.status);
        }
        return httplib::Server::HandlerResponse::Handled;
      }));
  http_->set_logger([this](const httplib::Request& request, const httplib::Response& response) {
    metrics_.request_done(route_label(request), response.status);
    metrics_.add_bytes_out(response.body.size());
    if (options_.log_requests) {
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - request_started).count();
      // Never the body or the query string: they may carry SQL with literals or secrets.
      std::ostringstream line;  // one write per line: requests run on many threads
      line << "pond serve: " << request.method << ' ' << request.path << ' ' << response.status << ' ' << ms << "ms\n";
      std::cerr << line.str() << std::flush;
    }
  });

  http_->Get("/healthz", [this](const httplib::Request&, httplib::Response& response) {
    send_json(response,
              {{"status", stopping_ ? "stopping" : "ok"},
               {"activeQueries", registry_.running()},
               {"heldResults", registry_.held()}},
              stopping_ ? 503 : 200);
  });
  http_->Get("/metrics", [this](const httplib::Request&, httplib::Response& response) {
    std::string text = metrics_.render(registry_.running(), registry_.held());
    text +=
        "# HELP pond_connection_pool_idle Workspace connections waiting in the pool for a query.\n"
        "# TYPE pond_connection_pool_idle gauge\npond_connection_pool_idle " +
        std::to_string(pool_.idle()) +
        "\n# HELP pond_connection_pool_capacity Most connections the pool keeps idle.\n"
        "# TYPE pond_connection_pool_capacity gauge\npond_connection_pool_capacity " +
        std::to_string(pool_.capacity()) +
        "\n# HELP pond_connections_opened_total Workspace connections opened for queries.\n"
        "# TYPE pond_connections_opened_total counter\npond_connections_opened_total " +
        std::to_string(pool_.opened()) +
        "\n# HELP pond_connections_reused_total Queries that ran on a pooled connection.\n"
        "# TYPE pond_connections_reused_total counter\npond_connections_reused_total " +
        std::to_string(pool_.reused()) + "\n";
    response.set_content(text, "text/plain; version=0.0.4");
  });
  http_->Get(R"(/v1/.*)", [this](const httplib::Request& request, httplib::Response& response) {
    send_json(response, error_json("method_not_allowed", request.path + " takes POST with a JSON body"), 405);
    response.set_header("Allow", "POST");
  });

  post("executeQuery", &Server::execute_query);
  post("fetchArrow", &Server::fetch_arrow);
  post("cancelQuery", &Server::cancel_query);
  post("listConnections", &Server::list_connections);
  post("sources", &Server::list_connections);
  post("testConnection", &Server::test_connection);
  post("listCatalog", &Server::list_catalog);
  post("attach", &Server::attach);
  post("detach", &Server::detach);
  post("materialize", &Server::materialize);
  post("refresh", &Server::refresh);
  http_->Post(R"(/.*)", [this](const httplib::Request& request, httplib::Response& response) {
    send_json(
        response,
        error_json("not_found", "no endpoint POST " + request.path + "; the endpoints are listed in docs/http-api.md"),
        404);
  });
}

int Server::bind() {
  int port = options_.port;
  if (port == 0) {
    port = http_->bind_to_any_port(options_.host);
    if (port < 0) throw Error(ErrorKind::io, "cannot listen on " + options_.host + " (any port)");
  } else if (!http_->bind_to_port(options_.host, options_.port)) {
    throw Error(ErrorKind::io, "cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                                   " (in use, or not an address of this machine)");
  }
  // httplib listens with a backlog of 5: a burst of new clients would have connections
  // dropped or reset. Listening again only enlarges the queue.
  if (listen_socket_ >= 0) ::listen(listen_socket_, kListenBacklog);
  return port;
}

void Server::run() {
  if (!stopping_) http_->listen_after_bind();
  // Every worker has finished: no request is left, but held results may remain.
  if (grace_timer_.joinable()) {
    grace_timer_.request_stop();
    grace_timer_.join();
  }
  registry_.stop_all(StopReason::shutdown);
}

void Server::shutdown() {
  if (stopping_.exchange(true)) return;
  registry_.begin_shutdown();
  http_->stop();
  grace_timer_ = std::jthread([this](std::stop_token stop) {
    std::mutex mutex;
    std::condition_variable_any wake;
    std::unique_lock lock(mutex);
    wake.wait_for(lock, stop, options_.grace_period, [] { return false; });
    registry_.stop_all(StopReason::shutdown);
  });
}

}  // namespace pond::server
