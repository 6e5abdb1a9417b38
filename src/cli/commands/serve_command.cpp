// `pond serve`: one workspace shared over HTTP (the bridge API, docs/http-api.md) until
// SIGTERM or SIGINT, then a graceful stop.

#include <signal.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "cli/commands/commands.hpp"
#include "engine/error.hpp"
#include "server/server.hpp"

namespace pond::cli {
namespace {

std::pair<std::string, int> parse_listen(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) {
    throw Error(ErrorKind::usage, "--listen expects ADDRESS:PORT (e.g. 127.0.0.1:7878), got '" + listen + "'");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string port_text = listen.substr(colon + 1);
  int port = -1;
  try {
    size_t used = 0;
    port = std::stoi(port_text, &used);
    if (used != port_text.size()) port = -1;
  } catch (const std::exception&) {
    port = -1;
  }
  if (port < 0 || port > 65535) throw Error(ErrorKind::usage, "--listen: '" + port_text + "' is not a port (0-65535)");
  return {host, port};
}

std::string trimmed(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  size_t start = 0;
  while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
  return text.substr(start);
}

// The token is never printed: errors name only where it was looked for.
std::string read_token(const ServeArgs& args) {
  if (!args.token_file.empty() && !args.token_env.empty()) {
    throw Error(ErrorKind::usage, "give --token-file or --token-env, not both");
  }
  std::string token;
  if (!args.token_file.empty()) {
    std::ifstream in(args.token_file, std::ios::binary);
    if (!in) throw Error(ErrorKind::not_found, "cannot read the token file '" + args.token_file + "'");
    std::ostringstream text;
    text << in.rdbuf();
    token = trimmed(text.str());
    if (token.empty()) throw Error(ErrorKind::invalid_input, "the token file '" + args.token_file + "' is empty");
  } else if (!args.token_env.empty()) {
    const char* value = std::getenv(args.token_env.c_str());
    if (value == nullptr || trimmed(value).empty()) {
      throw Error(ErrorKind::invalid_input, "the environment variable " + args.token_env + " is not set or empty");
    }
    token = trimmed(value);
  }
  if (!token.empty() && token.size() < 16) {
    throw Error(ErrorKind::invalid_input, "the bearer token is shorter than 16 characters; use a longer random one");
  }
  return token;
}

std::chrono::milliseconds seconds(double value, const char* flag) {
  if (!(value > 0)) throw Error(ErrorKind::usage, std::string(flag) + " must be more than 0 seconds");
  return std::chrono::milliseconds(static_cast<int64_t>(value * 1000));
}

server::ServerOptions server_options(const ServeArgs& args) {
  server::ServerOptions options;
  std::tie(options.host, options.port) = parse_listen(args.listen);
  options.token = read_token(args);
  options.roots = args.roots;
  options.workers = args.workers;
  options.max_concurrent_queries = args.max_queries;
  options.max_held_results = args.max_held_results;
  options.query_timeout = seconds(args.query_timeout, "--query-timeout");
  options.result_ttl = seconds(args.result_ttl, "--result-ttl");
  if (args.grace_period < 0) throw Error(ErrorKind::usage, "--grace-period must be 0 seconds or more");
  options.grace_period = std::chrono::milliseconds(static_cast<int64_t>(args.grace_period * 1000));
  options.max_request_bytes = args.max_request_bytes;
  options.max_result_bytes = args.max_result_bytes;
  options.default_page_rows = args.page_rows;
  options.log_requests = args.log_requests;
  return options;
}

// DuckDB's threads for the server: --threads, a --setting threads=N given before `serve`, or
// half the cores. Requests already run side by side on their own threads; every DuckDB thread
// beyond the requesting one is woken for each query, and on a busy server that wake-up is most
// of a small query's tail latency (SELECT 1 at 8 connections, docs/benchmarks.md).
GlobalOptions with_threads(const GlobalOptions& global, const ServeArgs& args, size_t& threads) {
  GlobalOptions effective = global;
  for (const auto& [name, value] : parse_settings(global.settings)) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower != "threads" && lower != "worker_threads") continue;
    if (args.threads != 0) throw Error(ErrorKind::usage, "give --threads or --setting " + name + "=N, not both");
    threads = 0;  // the setting decides; DuckDB checks its value
    return effective;
  }
  threads = args.threads != 0 ? args.threads : std::max(1u, std::thread::hardware_concurrency() / 2);
  effective.settings.push_back("threads=" + std::to_string(threads));
  return effective;
}

}  // namespace

int run_serve(const GlobalOptions& global, const ServeArgs& args) {
  server::ServerOptions options = server_options(args);
  size_t threads = 0;
  const GlobalOptions effective = with_threads(global, args, threads);
  // Every thread (DuckDB's included) inherits the blocked signals; one thread waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto workspace = open_workspace(effective);
  server::Server server(*workspace, options);
  const int port = server.bind();
  std::cout << "pond serve: listening on http://"
            << (options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host) << ':' << port
            << " (workspace " << workspace->path() << ")" << std::endl;
  if (threads != 0)
    std::cout << "pond serve: each query runs on up to " << threads << " DuckDB thread(s) (--threads)\n";
  if (options.roots.empty()) {
    std::cout << "pond serve: no --root given: clients' SQL and file sources get no files" << std::endl;
  } else {
    std::cout << "pond serve: clients' SQL and file sources may use the files in:";
    for (const auto& root : options.roots) std::cout << ' ' << root;
    std::cout << std::endl;
  }

  std::jthread signal_waiter([&server, &signals](std::stop_token stop) {
    const timespec tick{0, 200'000'000};
    while (!stop.stop_requested()) {
      int received = sigtimedwait(&signals, nullptr, &tick);
      if (received == SIGINT || received == SIGTERM) {
        std::cerr << "pond serve: " << (received == SIGINT ? "SIGINT" : "SIGTERM")
                  << " received; finishing running queries, then stopping" << std::endl;
        server.shutdown();
        return;
      }
    }
  });
  server.run();
  signal_waiter.request_stop();
  signal_waiter.join();
  std::cout << "pond serve: stopped" << std::endl;
  return 0;
}

}  // namespace pond::cli
