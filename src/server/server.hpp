#pragma once
// Server — `pond serve`: the HTTP bridge API over one open Workspace (see docs/http-api.md).
// Every request runs on one of a bounded pool of worker threads; a query runs on a DuckDB
// connection of its own, leased from a bounded ConnectionPool of reused workspace connections
// (see connection_pool.hpp for when one is reused); query results stream chunk by chunk. The server borrows
// the workspace, which must outlive it.
//
// Thread safety: run() blocks the calling thread until shutdown; shutdown() may be called
// from any thread (a signal-handling thread, a test).

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "server/connection_pool.hpp"
#include "server/metrics.hpp"
#include "server/query_registry.hpp"
#include "server/root_folders.hpp"
#include "server/server_options.hpp"
#include "workspace/workspace.hpp"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace pond::server {

class FileSandbox;

class Server {
 public:
  // Throws pond::Error(usage) for unusable options (a non-loopback address without a token,
  // a missing root folder, zero limits).
  Server(workspace::Workspace& workspace, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket; returns the port (the chosen one when options.port is 0).
  // Throws pond::Error(io) when the address cannot be bound.
  int bind();
  // Serves until shutdown() has finished; then every query has ended.
  void run();
  // Graceful stop: refuse new connections and queries, let running ones finish for the
  // grace period, then cancel them. Idempotent; returns at once (run() does the waiting).
  void shutdown();

 private:
  void install_routes();
  bool authorized(const httplib::Request& request) const;
  void post(const char* name, void (Server::*handler)(const httplib::Request&, httplib::Response&));
  void send_json(httplib::Response& response, const nlohmann::json& body, int status = 200);

  // Query endpoints (query_endpoints.cpp).
  void execute_query(const httplib::Request& request, httplib::Response& response);
  void fetch_arrow(const httplib::Request& request, httplib::Response& response);
  void cancel_query(const httplib::Request& request, httplib::Response& response);
  // Workspace endpoints (workspace_endpoints.cpp).
  void list_connections(const httplib::Request& request, httplib::Response& response);
  void test_connection(const httplib::Request& request, httplib::Response& response);
  void list_catalog(const httplib::Request& request, httplib::Response& response);
  void attach(const httplib::Request& request, httplib::Response& response);
  void detach(const httplib::Request& request, httplib::Response& response);
  void materialize(const httplib::Request& request, httplib::Response& response);
  void refresh(const httplib::Request& request, httplib::Response& response);
  // Runs `work` on the primary connection as a registered query named `id` (empty: a new
  // one); its answer gets "queryId". Errors, cancellation and timeout become HttpErrors.
  nlohmann::json run_on_primary(const std::string& id, const std::function<nlohmann::json()>& work);

  workspace::Workspace& workspace_;
  ServerOptions options_;
  RootFolders roots_;
  std::unique_ptr<FileSandbox> sandbox_;  // guards the roots while queries may run
  Metrics metrics_;
  ConnectionPool pool_;  // executeQuery's connections; outlives the queries that lease them
  QueryRegistry registry_;
  std::timed_mutex primary_mutex_;  // the workspace's primary connection (materialize, refresh)
  std::atomic<bool> stopping_{false};
  std::jthread grace_timer_;
  int listen_socket_ = -1;
  std::unique_ptr<httplib::Server> http_;
};

}  // namespace pond::server
