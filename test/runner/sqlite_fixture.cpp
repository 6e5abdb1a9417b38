#include "sqlite_fixture.hpp"

#include <sqlite3.h>

#include <memory>
#include <stdexcept>

namespace pond::sqllogictest {
namespace {

struct CloseDatabase {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};

}  // namespace

void sqlite_exec(const std::string& path, const std::string& script) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  std::unique_ptr<sqlite3, CloseDatabase> db(raw);
  if (rc != SQLITE_OK) {
    throw std::runtime_error("cannot open SQLite file " + path + ": " + (raw ? sqlite3_errmsg(raw) : "out of memory"));
  }
  char* error = nullptr;
  if (sqlite3_exec(db.get(), script.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw std::runtime_error("SQLite script failed on " + path + ": " + message);
  }
}

}  // namespace pond::sqllogictest
