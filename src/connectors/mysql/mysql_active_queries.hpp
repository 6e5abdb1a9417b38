#pragma once
// MysqlActiveQueries — the queries one source is running now, so that cancel() and
// cancel_for() can reach them: each scan registers its connection, with the query it serves
// (its owner), while its statement runs (Registration, RAII) and checks cancelled() between
// chunks. Thread-safe. A Registration must end before its
// connection is closed, and must not outlive the registry.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "connectors/mysql/mysql_connection.hpp"
#include "workspace/connector.hpp"

namespace pond::connectors::mysql {

class MysqlActiveQueries {
  struct Entry {
    MysqlConnection* connection;
    unsigned long thread_id;
    workspace::QueryOwner owner;
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

  // Registers `connection`, running a statement for `owner`'s query.
  Registration add(MysqlConnection& connection, workspace::QueryOwner owner);
  // Marks `owner`'s running queries cancelled; returns their server thread ids (for KILL
  // QUERY).
  std::vector<unsigned long> cancel_owner(workspace::QueryOwner owner);
  // Marks every running query cancelled; returns their server thread ids (for KILL QUERY).
  std::vector<unsigned long> cancel_all();
  // Breaks the network connection of the running queries with these server thread ids: the
  // fallback when KILL QUERY cannot be sent.
  void abort(const std::vector<unsigned long>& thread_ids) noexcept;

 private:
  std::mutex mutex_;
  uint64_t next_id_ = 0;
  std::map<uint64_t, std::shared_ptr<Entry>> entries_;
};

}  // namespace pond::connectors::mysql
