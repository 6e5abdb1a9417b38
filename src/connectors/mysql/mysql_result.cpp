#include "connectors/mysql/mysql_result.hpp"

namespace pond::connectors::mysql {

MysqlResult& MysqlResult::operator=(MysqlResult&& other) noexcept {
  if (this != &other) {
    if (result_) mysql_free_result(result_);
    result_ = other.result_;
    other.result_ = nullptr;
  }
  return *this;
}

MysqlResult::~MysqlResult() {
  if (result_) mysql_free_result(result_);
}

std::vector<std::vector<std::optional<std::string>>> MysqlResult::rows() {
  std::vector<std::vector<std::optional<std::string>>> out;
  unsigned count = field_count();
  while (MYSQL_ROW row = fetch_row()) {
    const unsigned long* length = lengths();
    auto& cells = out.emplace_back();
    cells.reserve(count);
    for (unsigned i = 0; i < count; ++i) {
      if (row[i]) {
        cells.emplace_back(std::string(row[i], length[i]));
      } else {
        cells.emplace_back(std::nullopt);
      }
    }
  }
  return out;
}

}  // namespace pond::connectors::mysql
