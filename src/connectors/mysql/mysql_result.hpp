#pragma once
// MysqlResult — the rows of one query (RAII over libmariadb's MYSQL_RES*), either buffered
// (mysql_store_result) or streamed (mysql_use_result). Move-only; used by one thread.
//
// Destroying a streamed result that was not read to the end makes libmariadb read (and drop)
// the remaining rows, unless the connection was aborted first (MysqlConnection::abort_io).

#include <mysql.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pond::connectors::mysql {

class MysqlResult {
 public:
  MysqlResult() = default;
  explicit MysqlResult(MYSQL_RES* result) : result_(result) {}
  MysqlResult(MysqlResult&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  MysqlResult& operator=(MysqlResult&& other) noexcept;
  MysqlResult(const MysqlResult&) = delete;
  MysqlResult& operator=(const MysqlResult&) = delete;
  ~MysqlResult();

  unsigned field_count() const { return result_ ? mysql_num_fields(result_) : 0; }
  const MYSQL_FIELD& field(unsigned i) const { return mysql_fetch_fields(result_)[i]; }
  // The next row, or nullptr at the end or on error (the connection says which).
  MYSQL_ROW fetch_row() { return mysql_fetch_row(result_); }
  // Byte lengths of the cells of the row fetch_row() returned last.
  const unsigned long* lengths() { return mysql_fetch_lengths(result_); }

  // Every remaining row as optional strings (nullopt for NULL): for small buffered results.
  std::vector<std::vector<std::optional<std::string>>> rows();

  explicit operator bool() const { return result_ != nullptr; }

 private:
  MYSQL_RES* result_ = nullptr;
};

}  // namespace pond::connectors::mysql
