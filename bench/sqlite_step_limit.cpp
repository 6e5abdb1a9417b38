// The "limit" contender of the materialize benchmark for SQLite (scripts/bench-materialize.sh):
// the least work any reader of a SQLite table must do. It opens FILE read-only, runs
// `SELECT * FROM "TABLE"` and steps through every row, reading every column with the accessor
// that fits its storage class (integer, real, text, blob), and nothing else: no conversion, no
// copy, no destination. A checksum over the values keeps the reads from being optimized away.
//
// Usage: pond_bench_sqlite_step FILE TABLE
// Prints `rows=N checksum=X` on stdout; exits 1 with a message on stderr when SQLite fails.

#include <sqlite3.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

namespace {

struct CloseDatabase {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct FinalizeStatement {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};

std::string quote_identifier(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

int fail(sqlite3* db, const char* what) {
  std::fprintf(stderr, "pond_bench_sqlite_step: %s: %s\n", what, db ? sqlite3_errmsg(db) : "out of memory");
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s FILE TABLE\n", argv[0]);
    return 2;
  }
  sqlite3* raw_db = nullptr;
  int rc = sqlite3_open_v2(argv[1], &raw_db, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, CloseDatabase> db(raw_db);
  if (rc != SQLITE_OK) return fail(db.get(), "cannot open the file");

  std::string sql = "SELECT * FROM " + quote_identifier(argv[2]);
  sqlite3_stmt* raw_stmt = nullptr;
  if (sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &raw_stmt, nullptr) != SQLITE_OK) {
    return fail(db.get(), "cannot prepare the query");
  }
  std::unique_ptr<sqlite3_stmt, FinalizeStatement> stmt(raw_stmt);
  const int columns = sqlite3_column_count(stmt.get());

  uint64_t rows = 0;
  uint64_t checksum = 0;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    ++rows;
    for (int c = 0; c < columns; ++c) {
      switch (sqlite3_column_type(stmt.get(), c)) {
        case SQLITE_INTEGER:
          checksum += static_cast<uint64_t>(sqlite3_column_int64(stmt.get(), c));
          break;
        case SQLITE_FLOAT:
          checksum += static_cast<uint64_t>(sqlite3_column_double(stmt.get(), c));
          break;
        case SQLITE_TEXT: {
          const unsigned char* text = sqlite3_column_text(stmt.get(), c);
          int bytes = sqlite3_column_bytes(stmt.get(), c);
          checksum += static_cast<uint64_t>(bytes) + (bytes > 0 ? text[0] : 0);
          break;
        }
        case SQLITE_BLOB: {
          const void* blob = sqlite3_column_blob(stmt.get(), c);
          int bytes = sqlite3_column_bytes(stmt.get(), c);
          checksum += static_cast<uint64_t>(bytes) + (bytes > 0 ? *static_cast<const unsigned char*>(blob) : 0);
          break;
        }
        default:  // NULL
          break;
      }
    }
  }
  if (rc != SQLITE_DONE) return fail(db.get(), "cannot read the table");
  std::printf("rows=%llu checksum=%llu\n", static_cast<unsigned long long>(rows),
              static_cast<unsigned long long>(checksum));
  return 0;
}
