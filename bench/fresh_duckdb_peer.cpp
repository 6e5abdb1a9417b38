// The pattern `pond serve` replaces, as an HTTP server for the same benchmark: every request
// opens a fresh DuckDB instance, re-attaches the 10 source files, runs the query and answers
// with the same JSON shape as executeQuery (rows buffered, which only favours this peer).
//
//   pond_bench_fresh_duckdb_peer PORT SOURCE_FILE...

#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "engine/database.hpp"
#include "engine/sql_text.hpp"
#include "engine/value_json.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: pond_bench_fresh_duckdb_peer PORT SOURCE_FILE...\n";
    return 2;
  }
  const int port = std::atoi(argv[1]);
  std::vector<std::string> sources(argv + 2, argv + argc);
  httplib::Server server;
  server.new_task_queue = [] { return new httplib::ThreadPool(72); };
  server.set_keep_alive_max_count(100'000);
  server.set_socket_options([](int socket) {
    int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    setsockopt(socket, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  });
  server.Post("/v1/executeQuery", [&](const httplib::Request& request, httplib::Response& response) {
    try {
      const std::string sql = nlohmann::json::parse(request.body).at("sql").get<std::string>();
      pond::engine::Database database;
      pond::engine::Connection connection = database.connect();
      for (size_t i = 0; i < sources.size(); ++i) {
        connection.query("ATTACH " + pond::sql::quote_literal(sources[i]) + " AS " +
                         pond::sql::quote_identifier("s" + std::to_string(i)) + " (READ_ONLY)");
      }
      pond::engine::Result result = connection.query(sql);
      std::string out = "{\"rows\":[";
      bool first = true;
      size_t rows = 0;
      while (auto chunk = result.next_chunk()) {
        for (size_t r = 0; r < chunk->row_count(); ++r, ++rows) {
          out += first ? "[" : ",[";
          first = false;
          for (size_t c = 0; c < chunk->column_count(); ++c) {
            if (c > 0) out += ',';
            pond::engine::append_json_value(out, chunk->value(c, r));
          }
          out += ']';
        }
      }
      out += "],\"rowCount\":" + std::to_string(rows) + ",\"status\":\"ok\"}\n";
      response.set_content(out, "application/json");
    } catch (const std::exception& e) {
      response.status = 500;
      response.set_content(nlohmann::json{{"code", "internal"}, {"message", e.what()}}.dump(), "application/json");
    }
  });
  if (!server.bind_to_port("127.0.0.1", port)) {
    std::cerr << "cannot listen on 127.0.0.1:" << port << '\n';
    return 1;
  }
  std::cout << "peer listening on http://127.0.0.1:" << port << std::endl;
  server.listen_after_bind();
  return 0;
}
