#include "connectors/sqlite/sqlite_scanner.hpp"

#include <sqlite3.h>

#include <atomic>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>

#include "connectors/sqlite/active_connections.hpp"
#include "connectors/sqlite/sqlite_types.hpp"
#include "engine/sql_text.hpp"

namespace pond::connectors::sqlite {
namespace {

__extension__ typedef __int128 Int128;  // rowid arithmetic without overflow

struct Range {
  int64_t first;  // inclusive rowid
  int64_t last;   // inclusive rowid
};

class Global;

class Local : public engine::LocalScan {
 public:
  Local(Global& global);
  size_t scan(engine::OutputChunk& out) override;
  void stop() override;
  bool next_task() override;

 private:
  bool open_next();
  void open(const Range& range);

  Global& global_;
  std::mutex connection_mutex_;  // guards connection_ being set against stop()
  std::atomic<bool> stopped_{false};
  std::optional<SqliteConnection> connection_;
  std::optional<ActiveGuard> guard_;
  std::optional<SqliteStatement> prepared_;  // the scan's statement, reset for each range
  SqliteStatement* statement_ = nullptr;     // prepared_ while a range is being read
  bool tasked_ = false;                      // next_task() hands out the ranges
  std::optional<Range> claimed_;             // by next_task(), opened by scan()
  int64_t row_ = 0;
};

class Global : public engine::GlobalScan {
 public:
  Global(const ScanTarget& target, std::vector<size_t> projection, std::shared_ptr<ActiveConnections> active)
      : target_(target), projection_(std::move(projection)), active_(std::move(active)) {
    if (target_.table.empty()) {
      select_ = "SELECT * FROM (" + target_.query + ")";
      return;
    }
    select_ = "SELECT ";
    bool first = true;
    for (size_t index : projection_) {
      if (index >= target_.columns.size()) continue;
      select_ += (first ? "" : ", ") + sql::quote_identifier(target_.columns[index].name);
      first = false;
    }
    if (first) select_ += "NULL";
    if (target_.has_rowid) {
      rowid_column_ = first ? 1 : real_columns();
      select_ += ", " + target_.rowid_name;
    }
    select_ += " FROM " + sql::quote_identifier(target_.table);
    plan_ranges();
    if (!ranges_.empty()) select_ += " WHERE " + target_.rowid_name + " BETWEEN ? AND ?";
  }

  size_t max_threads() const override { return std::max<size_t>(1, std::min(ranges_.size(), hardware_threads())); }

  // Stepping SQLite is most of the work: on threads of their own it overlaps with DuckDB's.
  bool prefetch() const override { return true; }
  size_t prefetch_threads() const override { return max_threads(); }
  std::unique_ptr<engine::LocalScan> init_local() override { return std::make_unique<Local>(*this); }

  // The next rowid range to scan, or nothing; a table without ranges is one task.
  std::optional<Range> next_task() {
    std::lock_guard lock(mutex_);
    if (ranges_.empty()) {
      if (single_taken_) return std::nullopt;
      single_taken_ = true;
      return Range{0, -1};
    }
    if (next_ >= ranges_.size()) return std::nullopt;
    return ranges_[next_++];
  }

  const ScanTarget& target() const { return target_; }
  const std::vector<size_t>& projection() const { return projection_; }
  const std::string& select() const { return select_; }
  int rowid_column() const { return rowid_column_; }
  int real_columns() const {
    int n = 0;
    for (size_t index : projection_) n += index < target_.columns.size() ? 1 : 0;
    return n;
  }
  bool ranged() const { return !ranges_.empty(); }
  ActiveConnections& active() { return *active_; }

 private:
  static size_t hardware_threads() { return std::max(1u, std::thread::hardware_concurrency()); }

  // Splits [min_rowid, max_rowid] into ranges of at least kRowsPerTask rowids (wider when the
  // rowids are sparse, at most kMaxRanges of them); a smaller table stays one statement. The
  // first and last ranges are open-ended, so rows added since the bounds were read are not lost.
  void plan_ranges() {
    if (!target_.has_rowid || target_.max_rowid < target_.min_rowid) return;
    const auto lo = static_cast<Int128>(target_.min_rowid), hi = static_cast<Int128>(target_.max_rowid);
    const Int128 span = hi - lo + 1;
    if (span < 2 * SqliteBoundScan::kRowsPerTask) return;
    const Int128 width = std::max<Int128>(SqliteBoundScan::kRowsPerTask,
                                          (span + SqliteBoundScan::kMaxRanges - 1) / SqliteBoundScan::kMaxRanges);
    for (Int128 first = lo; first <= hi; first += width) {
      Int128 last = std::min(hi, first + width - 1);
      ranges_.push_back({static_cast<int64_t>(first), static_cast<int64_t>(last)});
    }
    ranges_.front().first = std::numeric_limits<int64_t>::min();
    ranges_.back().last = std::numeric_limits<int64_t>::max();
  }

  const ScanTarget& target_;
  std::vector<size_t> projection_;
  std::shared_ptr<ActiveConnections> active_;
  std::string select_;
  std::vector<Range> ranges_;
  std::mutex mutex_;
  size_t next_ = 0;
  bool single_taken_ = false;
  int rowid_column_ = -1;
};

Local::Local(Global& global) : global_(global) {}

bool Local::next_task() {
  tasked_ = true;
  claimed_ = global_.next_task();
  return claimed_.has_value();
}

void Local::open(const Range& range) {
  if (!connection_) {
    std::lock_guard lock(connection_mutex_);
    connection_.emplace(global_.target().path, global_.target().alias);
    guard_.emplace(global_.active(), &*connection_, global_.target().owner);
  }
  if (!prepared_) {
    prepared_.emplace(connection_->prepare(global_.select()));
  } else {
    sqlite3_reset(prepared_->get());
  }
  if (global_.ranged()) {
    sqlite3_bind_int64(prepared_->get(), 1, range.first);
    sqlite3_bind_int64(prepared_->get(), 2, range.last);
  }
  statement_ = &*prepared_;
}

bool Local::open_next() {
  statement_ = nullptr;
  if (stopped_.load()) return false;
  auto task = global_.next_task();
  if (!task) return false;
  open(*task);
  return true;
}

void Local::stop() {
  stopped_.store(true);
  std::lock_guard lock(connection_mutex_);
  if (connection_) connection_->interrupt();  // a running step() fails with "cancelled"
}

size_t Local::scan(engine::OutputChunk& out) {
  const ScanTarget& target = global_.target();
  const auto& projection = global_.projection();
  const std::string table = target.table.empty() ? std::string("query") : target.table;
  size_t count = 0;
  if (stopped_.load()) return 0;
  if (tasked_ && claimed_) {
    open(*claimed_);
    claimed_.reset();
  }
  std::vector<engine::OutputVector> vectors;
  vectors.reserve(projection.size());
  for (size_t i = 0; i < projection.size(); ++i) vectors.push_back(out.column(i));
  while (count < engine::OutputChunk::kCapacity) {
    if (!statement_) {
      if (tasked_ || !open_next()) break;  // a task is one range: its end ends the scan() calls
    }
    if (!statement_->step()) {
      sqlite3_reset(statement_->get());  // ends its read transaction now
      statement_ = nullptr;
      continue;
    }
    ++row_;
    int sqlite_col = 0;
    for (size_t i = 0; i < projection.size(); ++i) {
      engine::OutputVector& vector = vectors[i];
      if (projection[i] >= target.columns.size()) {
        vector.set_null(count);
        continue;
      }
      CellOrigin origin{&target.alias, &table, &target.columns[projection[i]].name, row_, global_.rowid_column()};
      int col = target.table.empty() ? static_cast<int>(projection[i]) : sqlite_col++;
      write_cell(statement_->get(), col, vector, count, origin);
    }
    ++count;
  }
  return count;
}

}  // namespace

std::optional<uint64_t> SqliteBoundScan::estimated_rows() const {
  if (!target_.has_rowid || target_.max_rowid < target_.min_rowid) return std::nullopt;
  return static_cast<uint64_t>(target_.max_rowid - target_.min_rowid + 1);
}

std::unique_ptr<engine::GlobalScan> SqliteBoundScan::init(const std::vector<size_t>& projection) {
  return std::make_unique<Global>(target_, projection, active_);
}

}  // namespace pond::connectors::sqlite
