#include "connectors/postgres/pg_result.hpp"

#include <utility>

namespace pond::connectors::postgres {

PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    PQclear(result_);
    result_ = other.release();
  }
  return *this;
}

PgResult::~PgResult() { PQclear(result_); }

PGresult* PgResult::release() { return std::exchange(result_, nullptr); }

ExecStatusType PgResult::status() const { return result_ ? PQresultStatus(result_) : PGRES_FATAL_ERROR; }

bool PgResult::failed() const {
  ExecStatusType s = status();
  return s == PGRES_BAD_RESPONSE || s == PGRES_NONFATAL_ERROR || s == PGRES_FATAL_ERROR;
}

std::string PgResult::sqlstate() const {
  const char* state = result_ ? PQresultErrorField(result_, PG_DIAG_SQLSTATE) : nullptr;
  return state ? state : "";
}

std::string PgResult::message() const {
  if (!result_) return "";
  const char* primary = PQresultErrorField(result_, PG_DIAG_MESSAGE_PRIMARY);
  std::string raw = primary ? primary : PQresultErrorMessage(result_);
  // libpq's own messages span lines and indent with tabs: make them one line.
  std::string text;
  for (char c : raw) {
    if (c == '\n' || c == '\t') c = ' ';
    if (c == ' ' && (text.empty() || text.back() == ' ')) continue;
    text.push_back(c);
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

}  // namespace pond::connectors::postgres
