// A 1M-row result as Arrow: converted inside one process (the limit) against delivered by
// `pond serve` over loopback HTTP, in one run (issue 5: loopback at no less than half the
// in-process rate). The table has a realistic mix of types (BIGINT, INTEGER, DECIMAL(12,2),
// DOUBLE, VARCHAR, VARCHAR with NULLs, DATE, TIMESTAMP, BOOLEAN), read with
// `SELECT * FROM mixed`. Each repetition measures, back to back so that both see the same
// machine load:
//   in-process  runs the query streaming on a copy of the workspace file and converts every
//               chunk to an Arrow IPC stream (bytes discarded): what the server does per
//               request before the network;
//   loopback    POSTs executeQuery (Accept: application/vnd.apache.arrow.stream) to a running
//               `pond serve` on that workspace and reads the whole body (bytes discarded),
//               with cpp-httplib and, for comparison, with curl -o /dev/null.
// The loopback body must be exactly as long as the in-process stream (same query, same
// writer), or the run fails. Prints wall times, rows/s, the ratio and the load average.
//
// Usage: pond_bench_arrow_loopback --pond PATH [--rows N] [--repetitions R] [--serve-threads N] [--smoke]
//   --serve-threads: `pond serve --threads N` (default: the server's own default).
//   --smoke: 20,000 rows, one repetition (a quick check that the pieces work; ctest runs it).

#include <fcntl.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "engine/arrow_stream.hpp"
#include "engine/connection.hpp"
#include "engine/database.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using pond::engine::ArrowStreamWriter;
using pond::engine::Database;
using pond::engine::DatabaseOptions;
using pond::engine::ExecMode;

constexpr const char* kQuery = "SELECT * FROM mixed";

std::string schema_sql(long rows) {
  return "CREATE TABLE mixed AS SELECT i AS id, (i % 1000)::INTEGER AS quantity, "
         "((i % 100000) / 100)::DECIMAL(12,2) AS price, i / 7 AS ratio, 'customer ' || (i % 5000) AS customer, "
         "CASE WHEN i % 10 = 0 THEN NULL ELSE 'note number ' || i END AS note, "
         "DATE '2020-01-01' + (i % 1500)::INTEGER AS day, TIMESTAMP '2020-01-01' + to_seconds(i) AS created_at, "
         "i % 3 = 0 AS flag FROM range(" +
         std::to_string(rows) + ") t(i)";
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

// `pond -w WORKSPACE serve --listen 127.0.0.1:0` as a child; its URL is read from stdout.
class Server {
 public:
  Server(const std::string& pond, const fs::path& workspace, const std::string& threads) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      if (threads.empty()) {
        execl(pond.c_str(), pond.c_str(), "-w", workspace.c_str(), "serve", "--listen", "127.0.0.1:0",
              static_cast<char*>(nullptr));
      } else {
        execl(pond.c_str(), pond.c_str(), "-w", workspace.c_str(), "serve", "--listen", "127.0.0.1:0", "--threads",
              threads.c_str(), static_cast<char*>(nullptr));
      }
      _exit(127);
    }
    close(out[1]);
    std::string line;
    char c;
    while (line.find('\n') == std::string::npos && read(out[0], &c, 1) == 1) line += c;
    out_fd_ = out[0];
    const size_t at = line.find("http://127.0.0.1:");
    if (at == std::string::npos) throw std::runtime_error("pond serve did not start: " + line);
    port_ = std::atoi(line.c_str() + at + 17);
  }
  ~Server() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    close(out_fd_);
  }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int port_ = 0;
};

struct Sample {
  double seconds = 0;
  size_t bytes = 0;
};

Sample in_process(Database& database) {
  pond::engine::Connection connection = database.connect();
  const auto start = Clock::now();
  pond::engine::Result result = connection.query(kQuery, ExecMode::streaming);
  ArrowStreamWriter writer(result);
  std::string buffer = writer.schema_message();
  size_t bytes = buffer.size();
  while (auto chunk = result.next_chunk()) {
    buffer.clear();
    writer.append_record_batch(*chunk, buffer);
    bytes += buffer.size();
  }
  bytes += ArrowStreamWriter::end_of_stream().size();
  return {std::chrono::duration<double>(Clock::now() - start).count(), bytes};
}

const std::string kBody = std::string(R"({"sql": ")") + kQuery + "\"}";

Sample loopback_httplib(int port) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(600, 0);
  size_t bytes = 0;
  const auto start = Clock::now();
  httplib::Request request;
  request.method = "POST";
  request.path = "/v1/executeQuery";
  request.headers = {{"Accept", "application/vnd.apache.arrow.stream"}};
  request.body = kBody;
  request.set_header("Content-Type", "application/json");
  request.content_receiver = [&](const char*, size_t length, uint64_t, uint64_t) {
    bytes += length;
    return true;
  };
  httplib::Response response;
  httplib::Error error = httplib::Error::Success;
  if (!client.send(request, response, error) || response.status != 200)
    throw std::runtime_error("executeQuery failed: " + httplib::to_string(error) + " " +
                             std::to_string(response.status));
  return {std::chrono::duration<double>(Clock::now() - start).count(), bytes};
}

Sample loopback_curl(int port) {
  const std::string command =
      "curl -sS -o /dev/null -w '%{http_code} %{size_download}' -X POST "
      "-H 'Accept: application/vnd.apache.arrow.stream' -H 'Content-Type: application/json' "
      "-d '" +
      kBody + "' http://127.0.0.1:" + std::to_string(port) + "/v1/executeQuery";
  const auto start = Clock::now();
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run curl");
  int status = 0;
  unsigned long long bytes = 0;
  const int read = std::fscanf(pipe, "%d %llu", &status, &bytes);
  const int exit_code = pclose(pipe);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (read != 2 || status != 200 || exit_code != 0) throw std::runtime_error("curl failed");
  return {seconds, static_cast<size_t>(bytes)};
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string pond;
  long rows = 1'000'000;
  int repetitions = 5;
  std::string serve_threads;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--pond" && i + 1 < argc) {
      pond = argv[++i];
    } else if (arg == "--rows" && i + 1 < argc) {
      rows = std::atol(argv[++i]);
    } else if (arg == "--repetitions" && i + 1 < argc) {
      repetitions = std::atoi(argv[++i]);
    } else if (arg == "--serve-threads" && i + 1 < argc) {
      serve_threads = argv[++i];
    } else if (arg == "--smoke") {
      rows = 20'000;
      repetitions = 1;
    } else {
      std::cerr << "usage: pond_bench_arrow_loopback --pond PATH [--rows N] [--repetitions R] [--serve-threads N] "
                   "[--smoke]\n";
      return 2;
    }
  }
  if (pond.empty() || rows <= 0 || repetitions <= 0) {
    std::cerr
        << "usage: pond_bench_arrow_loopback --pond PATH [--rows N] [--repetitions R] [--serve-threads N] [--smoke]\n";
    return 2;
  }
  const bool has_curl = std::system("curl --version > /dev/null 2>&1") == 0;
  const fs::path dir = fs::temp_directory_path() / ("pond-arrow-loopback-" + std::to_string(getpid()));
  fs::create_directories(dir);
  int code = 0;
  try {
    {
      DatabaseOptions options;
      options.path = (dir / "ws.duckdb").string();
      Database database(options);
      database.connect().query(schema_sql(rows));
    }
    // The server holds its file open; the in-process side reads an identical copy.
    fs::copy_file(dir / "ws.duckdb", dir / "copy.duckdb");
    DatabaseOptions copy;
    copy.path = (dir / "copy.duckdb").string();
    copy.read_only = true;
    Database database(copy);
    Server server(pond, dir / "ws.duckdb", serve_threads);

    const std::string load_before = load_average();
    in_process(database);  // warm both sides: file pages, DuckDB caches, the server's workers
    loopback_httplib(server.port());
    std::vector<double> local, http, curl;
    size_t stream_bytes = 0;
    for (int r = 0; r < repetitions; ++r) {
      Sample a = in_process(database);
      Sample b = loopback_httplib(server.port());
      stream_bytes = a.bytes;
      if (b.bytes != a.bytes)
        throw std::runtime_error("loopback delivered " + std::to_string(b.bytes) + " bytes, in-process wrote " +
                                 std::to_string(a.bytes));
      local.push_back(a.seconds);
      http.push_back(b.seconds);
      if (has_curl) {
        Sample c = loopback_curl(server.port());
        if (c.bytes != a.bytes) throw std::runtime_error("curl received " + std::to_string(c.bytes) + " bytes");
        curl.push_back(c.seconds);
      }
    }
    const std::string load_after = load_average();

    const double n = static_cast<double>(rows);
    auto line = [&](const char* name, const std::vector<double>& times) {
      const double t = median(times);
      const double low = *std::min_element(times.begin(), times.end());
      const double high = *std::max_element(times.begin(), times.end());
      std::printf("%-30s %10.1f %8.0f-%-8.0f %12.2f %10.0f\n", name, t * 1e3, low * 1e3, high * 1e3, n / t / 1e6,
                  static_cast<double>(stream_bytes) / t / 1e6);
    };
    std::printf("Arrow IPC, %ld-row mixed-type result (SELECT * FROM mixed), %d repetitions, medians\n", rows,
                repetitions);
    std::printf("stream %.1f MB (%.1f bytes per row); load average %s before, %s after; %u cores\n",
                static_cast<double>(stream_bytes) / 1e6, static_cast<double>(stream_bytes) / n, load_before.c_str(),
                load_after.c_str(), std::thread::hardware_concurrency());
    std::printf("%-30s %10s %17s %12s %10s\n", "", "median ms", "min-max ms", "M rows/s", "MB/s");
    line("in-process query + Arrow", local);
    line("loopback, cpp-httplib client", http);
    if (!curl.empty()) line("loopback, curl -o /dev/null", curl);
    const double ratio = median(local) / median(http);
    std::printf("ratio loopback / in-process (httplib): %.2f", ratio);
    if (!curl.empty()) std::printf(", (curl): %.2f", median(local) / median(curl));
    std::printf("\ntarget: loopback at least 0.5 of the in-process rate: %s\n", ratio >= 0.5 ? "met" : "MISSED");
  } catch (const std::exception& error) {
    std::cerr << "pond_bench_arrow_loopback: " << error.what() << '\n';
    code = 1;
  }
  fs::remove_all(dir);
  return code;
}
