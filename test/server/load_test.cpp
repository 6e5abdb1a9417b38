// Load test of `pond serve`: N concurrent clients for a while, mixing small queries, large
// results and cancelled queries; every response is checked, and at the end no query may be
// left running and the server's resident memory must not have grown past a bound.
//
//   pond_server_load --pond PATH [--clients 64] [--seconds 10] [--max-rss-growth-mib 200]

#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>
#include <vector>

#include "server_process.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Counts {
  std::atomic<uint64_t> small{0}, large{0}, cancelled{0}, errors{0};
  std::mutex mutex;
  std::vector<std::string> first_errors;
  void error(const std::string& what) {
    ++errors;
    std::lock_guard lock(mutex);
    if (first_errors.size() < 10) first_errors.push_back(what);
  }
};

std::string query_body(const std::string& sql, const nlohmann::json& params = nlohmann::json::array(),
                       const std::string& id = "") {
  nlohmann::json body = {{"sql", sql}, {"params", params}};
  if (!id.empty()) body["queryId"] = id;
  return body.dump();
}

void small_query(httplib::Client& client, std::mt19937_64& random, Counts& counts) {
  const int64_t n = static_cast<int64_t>(random() % 1'000'000);
  auto t0 = Clock::now();
  auto r = client.Post("/v1/executeQuery", query_body("SELECT ?::BIGINT + 1 AS x", {n}), "application/json");
  const std::string expected = "\"rows\":[[" + std::to_string(n + 1) + "]],\"rowCount\":1,\"status\":\"ok\"}";
  if (!r || r->status != 200 || r->body.find(expected) == std::string::npos) {
    counts.error(
        "small: " + (r ? std::to_string(r->status) + " " + r->body.substr(0, 200) : httplib::to_string(r.error())) +
        " after " + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count()) +
        " ms");
    return;
  }
  ++counts.small;
}

void large_query(httplib::Client& client, std::mt19937_64& random, Counts& counts) {
  const int64_t rows = 10'000 + static_cast<int64_t>(random() % 20'000);
  auto r = client.Post("/v1/executeQuery", query_body("SELECT range AS r, range * 2 AS d FROM range(?)", {rows}),
                       "application/json");
  const std::string last = "[" + std::to_string(rows - 1) + "," + std::to_string(2 * (rows - 1)) + "]]";
  const std::string tail = ",\"rowCount\":" + std::to_string(rows) + ",\"status\":\"ok\"}\n";
  if (!r || r->status != 200 || !r->body.ends_with(last + tail)) {
    counts.error("large: " + (r ? std::to_string(r->status) + " ..." +
                                      r->body.substr(r->body.size() > 200 ? r->body.size() - 200 : 0)
                                : httplib::to_string(r.error())));
    return;
  }
  ++counts.large;
}

void cancelled_query(int port, httplib::Client& client, uint64_t serial, Counts& counts) {
  const std::string id = "load-query-" + std::to_string(serial);
  int status = 0;
  std::string body;
  std::thread runner([&] {
    httplib::Client own("127.0.0.1", port);
    own.set_read_timeout(60, 0);
    auto r = own.Post("/v1/executeQuery", query_body("SELECT count(*) FROM range(1000000000000)", {}, id),
                      "application/json");
    if (r) {
      status = r->status;
      body = r->body;
    }
  });
  // The query may not be registered yet: retry the cancel until it lands.
  bool cancelled = false;
  for (int attempt = 0; attempt < 200 && !cancelled; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(attempt == 0 ? 50 : 20));
    auto c = client.Post("/v1/cancelQuery", nlohmann::json{{"queryId", id}}.dump(), "application/json");
    cancelled = c && c->status == 200;
  }
  runner.join();
  if (!cancelled || status != 409 || body.find("\"code\":\"cancelled\"") == std::string::npos) {
    counts.error("cancel: " + std::to_string(status) + " " + body.substr(0, 200));
    return;
  }
  ++counts.cancelled;
}

void client_loop(int port, int index, Clock::time_point end, Counts& counts) {
  httplib::Client client("127.0.0.1", port);
  client.set_keep_alive(true);
  client.set_read_timeout(60, 0);
  std::mt19937_64 random(static_cast<uint64_t>(index) * 7919 + 1);
  uint64_t serial = static_cast<uint64_t>(index) * 1'000'000;
  while (Clock::now() < end) {
    const int pick = static_cast<int>(random() % 20);
    if (pick < 14) {
      small_query(client, random, counts);
    } else if (pick < 19) {
      large_query(client, random, counts);
    } else {
      cancelled_query(port, client, ++serial, counts);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string pond;
  int clients = 64;
  int seconds = 10;
  long max_growth_mib = 200;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--pond") pond = argv[i + 1];
    if (flag == "--clients") clients = std::atoi(argv[i + 1]);
    if (flag == "--seconds") seconds = std::atoi(argv[i + 1]);
    if (flag == "--max-rss-growth-mib") max_growth_mib = std::atol(argv[i + 1]);
  }
  if (pond.empty() || clients <= 0 || seconds <= 0) {
    std::cerr << "usage: pond_server_load --pond PATH [--clients N] [--seconds S] [--max-rss-growth-mib M]\n";
    return 2;
  }
  const auto work = std::filesystem::temp_directory_path() / ("pond-load-" + std::to_string(getpid()));
  std::filesystem::create_directories(work);
  int failures = 0;
  {
    pond::server_test::ServerProcess server(pond,
                                            {"--workers", std::to_string(2 * clients + 8), "--max-queries",
                                             std::to_string(2 * clients + 8), "--query-timeout", "60"},
                                            work.string());
    Counts counts;
    // A short warm-up, so that the memory baseline includes DuckDB's caches and the threads.
    {
      std::vector<std::thread> warm;
      const auto end = Clock::now() + std::chrono::seconds(2);
      for (int i = 0; i < clients; ++i)
        warm.emplace_back(client_loop, server.port(), clients + i, end, std::ref(counts));
      for (auto& t : warm) t.join();
    }
    const long rss_start = server.rss_kib();
    Counts measured;
    std::vector<std::thread> threads;
    const auto end = Clock::now() + std::chrono::seconds(seconds);
    for (int i = 0; i < clients; ++i) threads.emplace_back(client_loop, server.port(), i, end, std::ref(measured));
    for (auto& t : threads) t.join();
    const long rss_end = server.rss_kib();

    httplib::Client client("127.0.0.1", server.port());
    auto health = client.Get("/healthz");
    const nlohmann::json h = health ? nlohmann::json::parse(health->body, nullptr, false) : nlohmann::json();
    std::cout << "clients " << clients << ", " << seconds << " s: " << measured.small << " small, " << measured.large
              << " large, " << measured.cancelled << " cancelled, " << measured.errors + counts.errors
              << " errors; RSS " << rss_start / 1024 << " MiB -> " << rss_end / 1024 << " MiB\n";
    for (const auto& e : measured.first_errors) std::cout << "  error: " << e << '\n';
    for (const auto& e : counts.first_errors) std::cout << "  warm-up error: " << e << '\n';
    if (measured.errors + counts.errors > 0) ++failures;
    if (measured.small == 0 || measured.large == 0 || measured.cancelled == 0) {
      std::cout << "FAIL: every kind of request must have run\n";
      ++failures;
    }
    if (!h.is_object() || h.value("activeQueries", -1) != 0 || h.value("heldResults", -1) != 0) {
      std::cout << "FAIL: queries left behind: " << (health ? health->body : "no answer") << '\n';
      ++failures;
    }
    if ((rss_end - rss_start) / 1024 > max_growth_mib) {
      std::cout << "FAIL: resident memory grew by more than " << max_growth_mib << " MiB\n";
      ++failures;
    }
    const int code = server.stop();
    if (code != 0) {
      std::cout << "FAIL: pond serve exited with " << code << " after SIGTERM\n";
      ++failures;
    }
  }
  std::filesystem::remove_all(work);
  return failures == 0 ? 0 : 1;
}
