// Runs the bridge API's contract vectors (test/server/contract/*.json, one case per file)
// against a real `pond serve`. Any implementation of the bridge must pass them.
//
//   pond_contract_runner --pond PATH --cases DIR --fixtures DIR [--only NAME]
//
// A case: {"description", "setup": [request...], "request": {method, path, headers, body |
// rawBody | rawBodyRepeat: [text, count], auth: false}, "expect": {"status", "body": subset,
// "headers": subset, "textContains": [...]}}. In an expected body, objects match when every
// expected key matches, arrays element by element (same length); the strings "<any>",
// "<string>", "<number>" match any value of that sort, and "~text" any string containing
// text. "${FIXTURES}" anywhere in a case is replaced by the fixtures folder.

#include <httplib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "server_process.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kToken = "contract-test-token-0123456789";

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// Empty when `actual` matches `expected`, else where and how it differs.
std::string difference(const json& expected, const json& actual, const std::string& where) {
  if (expected.is_string()) {
    const std::string e = expected.get<std::string>();
    if (e == "<any>") return "";
    if (e == "<string>") return actual.is_string() ? "" : where + ": expected a string, got " + actual.dump();
    if (e == "<number>") return actual.is_number() ? "" : where + ": expected a number, got " + actual.dump();
    if (e.starts_with("~")) {
      if (actual.is_string() && actual.get<std::string>().find(e.substr(1)) != std::string::npos) return "";
      return where + ": expected a string containing '" + e.substr(1) + "', got " + actual.dump();
    }
  }
  if (expected.is_object()) {
    if (!actual.is_object()) return where + ": expected an object, got " + actual.dump();
    for (const auto& [key, value] : expected.items()) {
      if (!actual.contains(key)) return where + "." + key + ": missing in " + actual.dump();
      std::string m = difference(value, actual[key], where + "." + key);
      if (!m.empty()) return m;
    }
    return "";
  }
  if (expected.is_array()) {
    if (!actual.is_array() || actual.size() != expected.size()) {
      return where + ": expected " + expected.dump() + ", got " + actual.dump();
    }
    for (size_t i = 0; i < expected.size(); ++i) {
      std::string m = difference(expected[i], actual[i], where + "[" + std::to_string(i) + "]");
      if (!m.empty()) return m;
    }
    return "";
  }
  if (expected.is_number() && actual.is_number()) {
    return expected.get<double>() == actual.get<double>()
               ? ""
               : where + ": expected " + expected.dump() + ", got " + actual.dump();
  }
  return expected == actual ? "" : where + ": expected " + expected.dump() + ", got " + actual.dump();
}

struct Reply {
  int status = 0;
  std::string body;
  httplib::Headers headers;
};

Reply send(int port, const json& request) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(60, 0);
  httplib::Headers headers;
  if (request.value("auth", true)) headers.emplace("Authorization", std::string("Bearer ") + kToken);
  const json extra = request.contains("headers") ? request["headers"] : json::object();
  for (const auto& [name, value] : extra.items()) {
    if (name == "Authorization") headers.erase("Authorization");
    headers.emplace(name, value.get<std::string>());
  }
  const std::string method = request.value("method", "POST");
  const std::string path = request.at("path").get<std::string>();
  std::string body;
  if (request.contains("rawBody")) {
    body = request["rawBody"].get<std::string>();
  } else if (request.contains("rawBodyRepeat")) {
    for (int i = 0; i < request["rawBodyRepeat"][1].get<int>(); ++i)
      body += request["rawBodyRepeat"][0].get<std::string>();
  } else if (request.contains("body")) {
    body = request["body"].dump();
  }
  httplib::Result result = method == "GET"      ? client.Get(path, headers)
                           : method == "DELETE" ? client.Delete(path, headers, body, "application/json")
                                                : client.Post(path, headers, body, "application/json");
  if (!result)
    throw std::runtime_error("no response to " + method + " " + path + ": " + httplib::to_string(result.error()));
  return Reply{result->status, result->body, result->headers};
}

std::string run_case(int port, const json& c) {
  const json setup = c.contains("setup") ? c["setup"] : json::array();
  for (const json& step : setup) {
    Reply r = send(port, step);
    if (r.status >= 300) return "setup " + step.dump() + " failed: " + std::to_string(r.status) + " " + r.body;
  }
  Reply reply = send(port, c.at("request"));
  const json& expect = c.at("expect");
  if (reply.status != expect.at("status").get<int>()) {
    return "status: expected " + std::to_string(expect["status"].get<int>()) + ", got " + std::to_string(reply.status) +
           " " + reply.body.substr(0, 400);
  }
  if (expect.contains("body")) {
    json actual = json::parse(reply.body, nullptr, false);
    if (actual.is_discarded()) return "body is not JSON: " + reply.body.substr(0, 400);
    std::string m = difference(expect["body"], actual, "body");
    if (!m.empty()) return m;
  }
  const json expected_headers = expect.contains("headers") ? expect["headers"] : json::object();
  for (const auto& [name, value] : expected_headers.items()) {
    auto it = reply.headers.find(name);
    if (it == reply.headers.end()) return "header " + name + " missing";
    std::string m = difference(value, json(it->second), "header " + name);
    if (!m.empty()) return m;
  }
  const json texts = expect.contains("textContains") ? expect["textContains"] : json::array();
  for (const json& text : texts) {
    if (reply.body.find(text.get<std::string>()) == std::string::npos) {
      return "body does not contain '" + text.get<std::string>() + "': " + reply.body.substr(0, 400);
    }
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  std::string pond, cases, fixtures, only;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--pond") pond = argv[i + 1];
    if (flag == "--cases") cases = argv[i + 1];
    if (flag == "--fixtures") fixtures = argv[i + 1];
    if (flag == "--only") only = argv[i + 1];
  }
  if (pond.empty() || cases.empty() || fixtures.empty()) {
    std::cerr << "usage: pond_contract_runner --pond PATH --cases DIR --fixtures DIR [--only NAME]\n";
    return 2;
  }
  fixtures = fs::canonical(fixtures).string();
  const fs::path work = fs::temp_directory_path() / ("pond-contract-" + std::to_string(getpid()));
  fs::create_directories(work);
  int failures = 0, passed = 0;
  {
    pond::server_test::ServerProcess server(
        pond,
        {"--workspace", (work / "ws.duckdb").string(), "--root", fixtures, "--token-env", "POND_CONTRACT_TOKEN",
         "--max-request-bytes", "65536", "--query-timeout", "5"},
        work.string(), {std::string("POND_CONTRACT_TOKEN=") + kToken});
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(cases)) {
      if (entry.path().extension() == ".json") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
      if (!only.empty() && file.stem() != only) continue;
      std::string text = read_file(file);
      replace_all(text, "${FIXTURES}", fixtures);
      std::string failure;
      try {
        failure = run_case(server.port(), json::parse(text));
      } catch (const std::exception& e) {
        failure = std::string("error: ") + e.what();
      }
      if (failure.empty()) {
        ++passed;
      } else {
        ++failures;
        std::cout << "FAIL " << file.filename().string() << ": " << failure << '\n';
      }
    }
    const int code = server.stop();
    if (code != 0) {
      std::cout << "FAIL pond serve exited with " << code << " after SIGTERM (expected 0)\n";
      ++failures;
    }
  }
  fs::remove_all(work);
  std::cout << passed << " contract cases passed, " << failures << " failed\n";
  return failures == 0 ? 0 : 1;
}
