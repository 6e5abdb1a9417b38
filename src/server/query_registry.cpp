#include "server/query_registry.hpp"

#include <algorithm>
#include <cctype>
#include <random>

#include "server/http_error.hpp"

namespace pond::server {
namespace {

constexpr auto kWatchInterval = std::chrono::milliseconds(50);
constexpr auto kRemoteCancelAgainAfter = std::chrono::seconds(1);

}  // namespace

QueryRegistry::QueryRegistry(const ServerOptions& options, ActiveQuery::Interrupter interrupt)
    : options_(options), interrupt_(std::move(interrupt)), watchdog_([this](std::stop_token s) { watch(s); }) {}

QueryRegistry::~QueryRegistry() {
  watchdog_.request_stop();
  if (watchdog_.joinable()) watchdog_.join();
  stop_all(StopReason::shutdown);
}

std::string QueryRegistry::new_id() {
  static thread_local std::random_device device;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id = "q";
  for (int i = 0; i < 4; ++i) {
    uint32_t bits = device();
    for (int j = 0; j < 8; ++j) id += kHex[(bits >> (4 * j)) & 0xf];
  }
  return id;
}

void check_query_id(const std::string& id) {
  if (id.empty()) return;
  bool valid = id.size() >= 8 && id.size() <= 64;
  for (char c : id) valid = valid && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
  if (!valid) {
    throw HttpError(
        400, "invalid_input",
        "field 'queryId' must be 8 to 64 letters, digits, '-' or '_' (or be left out: the server picks one)");
  }
}

std::shared_ptr<ActiveQuery> QueryRegistry::start(engine::Connection connection, const std::string& id) {
  return add(std::make_shared<ActiveQuery>(id.empty() ? new_id() : id, std::move(connection), interrupt_));
}

std::shared_ptr<ActiveQuery> QueryRegistry::start_borrowing(const std::string& id) {
  return add(std::make_shared<ActiveQuery>(id.empty() ? new_id() : id, interrupt_));
}

std::shared_ptr<ActiveQuery> QueryRegistry::add(std::shared_ptr<ActiveQuery> query) {
  std::lock_guard lock(mutex_);
  if (running_.contains(query->id()) || held_.contains(query->id())) {
    throw HttpError(409, "conflict", "queryId '" + query->id() + "' is in use; choose a new one per query");
  }
  if (shutting_down_) throw HttpError(503, "shutting_down", "the server is shutting down; retry against a new one");
  if (running_.size() >= options_.max_concurrent_queries) {
    throw HttpError(503, "busy",
                    "too many queries are running (" + std::to_string(options_.max_concurrent_queries) +
                        ", pond serve --max-queries); retry shortly");
  }
  running_[query->id()] = Running{query, Clock::now() + options_.query_timeout};
  return query;
}

void QueryRegistry::finish(const std::string& id) {
  std::shared_ptr<ActiveQuery> last;  // destroyed outside the lock
  std::lock_guard lock(mutex_);
  auto it = running_.find(id);
  if (it == running_.end()) return;
  last = std::move(it->second.query);
  running_.erase(it);
}

void QueryRegistry::hold(const std::shared_ptr<ActiveQuery>& query) {
  std::lock_guard lock(mutex_);
  if (shutting_down_) throw HttpError(503, "shutting_down", "the server is shutting down; retry against a new one");
  if (held_.size() >= options_.max_held_results) {
    throw HttpError(503, "busy",
                    "too many results are held (" + std::to_string(options_.max_held_results) +
                        ", pond serve --max-held-results); fetch or cancel held results first");
  }
  running_.erase(query->id());
  held_[query->id()] = Held{query, Clock::now(), false};
}

std::shared_ptr<ActiveQuery> QueryRegistry::check_out(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto it = held_.find(id);
  if (it == held_.end()) {
    throw HttpError(404, "not_found",
                    "no held result with queryId '" + id +
                        "': it was never held (executeQuery with \"hold\": true), is fully fetched, was cancelled, "
                        "or expired after pond serve --result-ttl");
  }
  if (it->second.in_use) {
    throw HttpError(409, "conflict",
                    "another fetchArrow call is reading query '" + id + "'; fetch pages one at a time");
  }
  it->second.in_use = true;
  running_[id] = Running{it->second.query, Clock::now() + options_.query_timeout};
  return it->second.query;
}

void QueryRegistry::check_in(const std::shared_ptr<ActiveQuery>& query, bool exhausted) {
  std::shared_ptr<ActiveQuery> last;
  std::lock_guard lock(mutex_);
  running_.erase(query->id());
  auto it = held_.find(query->id());
  if (it == held_.end()) return;  // cancelled meanwhile
  if (exhausted || query->stop_reason() != StopReason::none) {
    last = std::move(it->second.query);
    held_.erase(it);
    return;
  }
  it->second.in_use = false;
  it->second.last_used = Clock::now();
}

bool QueryRegistry::cancel(const std::string& id) {
  std::shared_ptr<ActiveQuery> query;
  {
    std::lock_guard lock(mutex_);
    if (auto it = running_.find(id); it != running_.end()) {
      query = it->second.query;
      it->second.stopped_at = Clock::now();
    }
    if (auto it = held_.find(id); it != held_.end()) {
      query = it->second.query;
      if (!it->second.in_use) held_.erase(it);
    }
  }
  if (query == nullptr) return false;
  query->stop(StopReason::cancelled);
  return true;
}

void QueryRegistry::begin_shutdown() {
  std::lock_guard lock(mutex_);
  shutting_down_ = true;
}

void QueryRegistry::stop_all(StopReason reason) {
  std::vector<std::shared_ptr<ActiveQuery>> all;
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, r] : running_) {
      all.push_back(r.query);
      r.stopped_at = Clock::now();
    }
    for (auto& [id, h] : held_) all.push_back(h.query);
    held_.clear();
  }
  for (auto& query : all) query->stop(reason);
}

size_t QueryRegistry::running() const {
  std::lock_guard lock(mutex_);
  return running_.size();
}

size_t QueryRegistry::held() const {
  std::lock_guard lock(mutex_);
  return held_.size();
}

void QueryRegistry::watch(std::stop_token stop) {
  while (!stop.stop_requested()) {
    std::this_thread::sleep_for(kWatchInterval);
    std::vector<std::shared_ptr<ActiveQuery>> to_stop;
    std::vector<std::pair<std::shared_ptr<ActiveQuery>, bool>> to_interrupt;  // bool: remote too
    std::vector<std::shared_ptr<ActiveQuery>> expired;
    const Clock::time_point now = Clock::now();
    {
      std::lock_guard lock(mutex_);
      for (auto& [id, r] : running_) {
        if (r.query->stop_reason() == StopReason::none && now >= r.deadline) {
          r.stopped_at = now;
          to_stop.push_back(r.query);
        } else if (r.query->stop_reason() != StopReason::none) {
          // Interrupt again: one that arrived between two statements of DuckDB is forgotten.
          if (r.stopped_at == Clock::time_point{}) r.stopped_at = now;
          const Clock::time_point last_remote = std::max(r.stopped_at, r.remote_cancelled_at);
          const bool remote = now - last_remote >= kRemoteCancelAgainAfter;
          if (remote) r.remote_cancelled_at = now;
          to_interrupt.emplace_back(r.query, remote);
        }
      }
      for (auto it = held_.begin(); it != held_.end();) {
        if (!it->second.in_use && now - it->second.last_used >= options_.result_ttl) {
          expired.push_back(std::move(it->second.query));
          it = held_.erase(it);
        } else {
          ++it;
        }
      }
    }
    for (auto& query : to_stop) query->stop(StopReason::timeout);
    for (auto& [query, remote] : to_interrupt) query->interrupt_again(remote);
    // `expired` is destroyed here, outside the lock: closing a result may take a moment.
  }
}

}  // namespace pond::server
