#pragma once
// MysqlActiveQueries — the queries one source is running now, so that cancel() can reach
// them: each scan registers its connection while its statement runs (Registration, RAII) and
// checks cancelled() between chunks. Thread-safe. A Registration must end before its
// connection is closed, and must not outlive the registry.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "connectors/mysql/mysql_connection.hpp"

namespace pond::connectors::mysql {

class MysqlActiveQueries {
  struct Entry {
    MysqlConnection* connection;
    unsigned long thread_id;
    std::atomic<bool> cancelled{false};
  };

 public:
  class Registration {
   public:
    Registration() = default;
    Registration(MysqlActiveQueries* registry, uint64_t id, std::shared_ptr<Entry> entry)
        : registry_(registry), id_(id), entry_(std::move(entry)) {}
    Registration(Registration&& other) noexcept;
    Registration& operator=(Registration&& other) noexcept;
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;
    ~Registration() { end(); }

    bool cancelled() const { return entry_ && entry_->cancelled.load(); }
    void end() noexcept;

   private:
    MysqlActiveQueries* registry_ = nullptr;
    uint64_t id_ = 0;
    std::shared_ptr<Entry> entry_;
  };

  Registration add(MysqlConnection& connection);
  // Marks every running query cancelled; returns their server thread ids (for KILL QUERY).
  std::vector<unsigned long> cancel_all();
  // Breaks the network connection of every running query: the fallback when KILL QUERY
  // cannot be sent.
  void abort_all() noexcept;

 private:
  std::mutex mutex_;
  uint64_t next_id_ = 0;
  std::map<uint64_t, std::shared_ptr<Entry>> entries_;
};

}  // namespace pond::connectors::mysql
