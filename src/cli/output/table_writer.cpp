#include "cli/output/table_writer.hpp"

#include <algorithm>
#include <cctype>

#include "cli/output/text_width.hpp"
#include "engine/error.hpp"

namespace pond::cli {

namespace {

constexpr const char* kEllipsis = "…";

std::string repeat(std::string_view piece, size_t count) {
  std::string out;
  out.reserve(piece.size() * count);
  for (size_t i = 0; i < count; ++i) out += piece;
  return out;
}

std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

// Which source columns are shown (kEllipsisColumn marks the "…" column) and how wide each is.
struct TableWriter::Layout {
  static constexpr size_t kEllipsisColumn = static_cast<size_t>(-1);
  std::vector<size_t> shown;
  std::vector<size_t> widths;

  size_t total_width() const {
    size_t total = 1;
    for (size_t w : widths) total += w + 3;
    return total;
  }
};

TableWriter::TableWriter(std::ostream& out, const OutputOptions& options, bool show_types, size_t spill_bytes)
    : out_(out), options_(options), show_types_(show_types), spill_bytes_(spill_bytes) {
  options_.max_column_width = std::max<size_t>(options_.max_column_width, 3);
}

std::string TableWriter::cell_text(const engine::Value& value) const {
  if (value.is_null()) return "NULL";
  return truncate_to_width(escape_control_characters(value.to_string()), options_.max_column_width);
}

void TableWriter::begin(const std::vector<engine::Column>& columns) {
  for (const auto& column : columns) {
    names_.push_back(truncate_to_width(escape_control_characters(column.name), options_.max_column_width));
    types_.push_back(truncate_to_width(lowercase(column.type_name), options_.max_column_width));
    right_aligned_.push_back(engine::is_numeric(column.type));
  }
}

void TableWriter::row(const std::vector<engine::Value>& values) {
  Row cells;
  cells.reserve(values.size());
  for (const auto& value : values) cells.push_back(cell_text(value));
  ++total_rows_;
  const size_t max_rows = options_.max_rows;
  if (max_rows == 0 || head_.size() < (max_rows + 1) / 2) {
    if (max_rows == 0) {
      for (const auto& cell : cells) held_bytes_ += cell.size() + sizeof(std::string);
    }
    head_.push_back(std::move(cells));
    if (held_bytes_ > spill_bytes_) spill_head();
    return;
  }
  tail_.push_back(std::move(cells));
  if (tail_.size() > max_rows / 2) tail_.pop_front();
}

void TableWriter::spill_head() {
  if (!spill_) spill_.reset(std::tmpfile());
  if (!spill_) {
    spill_bytes_ = static_cast<size_t>(-1);  // no temporary file: hold the rows after all
    return;
  }
  spilled_widths_.resize(names_.size(), 0);
  for (const Row& r : head_) {
    for (size_t i = 0; i < r.size(); ++i) {
      if (i < spilled_widths_.size()) spilled_widths_[i] = std::max(spilled_widths_[i], display_width(r[i]));
      const auto size = static_cast<uint32_t>(r[i].size());
      std::fwrite(&size, sizeof size, 1, spill_.get());
      std::fwrite(r[i].data(), 1, r[i].size(), spill_.get());
    }
  }
  if (std::ferror(spill_.get()))
    throw Error(ErrorKind::io, "cannot write the table's rows to a temporary file (is the temporary folder full?)");
  spilled_rows_ += head_.size();
  head_.clear();
  held_bytes_ = 0;
}

void TableWriter::print_spilled(const Layout& layout) {
  if (!spill_) return;
  std::rewind(spill_.get());
  Row cells(names_.size());
  for (size_t n = 0; n < spilled_rows_; ++n) {
    for (auto& cell : cells) {
      uint32_t size = 0;
      if (std::fread(&size, sizeof size, 1, spill_.get()) != 1)
        throw Error(ErrorKind::io, "the table's temporary file ended early");
      cell.resize(size);
      if (size > 0 && std::fread(cell.data(), 1, size, spill_.get()) != size)
        throw Error(ErrorKind::io, "the table's temporary file ended early");
    }
    print_line(layout, cells, false);
  }
}

TableWriter::Layout TableWriter::plan_layout() const {
  Layout layout;
  std::vector<size_t> natural(names_.size(), 1);
  auto widen = [&](const Row& cells) {
    for (size_t i = 0; i < cells.size() && i < natural.size(); ++i)
      natural[i] = std::max(natural[i], display_width(cells[i]));
  };
  widen(names_);
  if (show_types_) widen(types_);
  for (size_t i = 0; i < spilled_widths_.size() && i < natural.size(); ++i)
    natural[i] = std::max(natural[i], spilled_widths_[i]);
  for (const auto& r : head_) widen(r);
  for (const auto& r : tail_) widen(r);
  for (size_t i = 0; i < natural.size(); ++i) {
    layout.shown.push_back(i);
    layout.widths.push_back(natural[i]);
  }
  const size_t limit = options_.total_width;
  if (limit == 0) return layout;
  // Leave out middle columns (keeping the outer ones, which usually identify a row) until fits.
  bool elided = false;
  while (layout.total_width() > limit && layout.shown.size() > (elided ? 2u : 1u)) {
    size_t middle = layout.shown.size() / 2;
    if (!elided) {
      layout.shown[middle] = Layout::kEllipsisColumn;
      layout.widths[middle] = 1;
      elided = true;
      continue;
    }
    auto ellipsis = static_cast<size_t>(std::find(layout.shown.begin(), layout.shown.end(), Layout::kEllipsisColumn) -
                                        layout.shown.begin());
    const size_t left = ellipsis;
    const size_t right = layout.shown.size() - ellipsis - 1;
    const size_t victim = left > right ? ellipsis - 1 : ellipsis + 1;
    layout.shown.erase(layout.shown.begin() + static_cast<std::ptrdiff_t>(victim));
    layout.widths.erase(layout.widths.begin() + static_cast<std::ptrdiff_t>(victim));
  }
  if (layout.total_width() > limit) {
    // Still too wide: shrink the widest column, never below 3.
    auto widest = std::max_element(layout.widths.begin(), layout.widths.end());
    size_t excess = layout.total_width() - limit;
    *widest = *widest > excess + 3 ? *widest - excess : 3;
  }
  return layout;
}

void TableWriter::print_line(const Layout& layout, const Row& cells, bool center) const {
  std::string line = "│";
  for (size_t i = 0; i < layout.shown.size(); ++i) {
    const size_t source = layout.shown[i];
    const size_t width = layout.widths[i];
    std::string text = source == Layout::kEllipsisColumn ? kEllipsis : truncate_to_width(cells[source], width);
    size_t pad = width - std::min(width, display_width(text));
    size_t left = center ? pad / 2 : (source != Layout::kEllipsisColumn && right_aligned_[source] ? pad : 0);
    line += ' ' + std::string(left, ' ') + text + std::string(pad - left, ' ') + " │";
  }
  out_ << line << '\n';
}

void TableWriter::end() {
  if (names_.empty()) return;  // nothing to draw a box around
  Layout layout = plan_layout();
  const size_t shown_rows = spilled_rows_ + head_.size() + tail_.size();
  std::string footer;
  if (total_rows_ == 0) footer = "0 rows";
  if (shown_rows < total_rows_)
    footer = std::to_string(total_rows_) + " rows (" + std::to_string(shown_rows) + " shown)";
  const size_t shown_columns = static_cast<size_t>(
      std::count_if(layout.shown.begin(), layout.shown.end(), [](size_t c) { return c != Layout::kEllipsisColumn; }));
  if (shown_columns < names_.size()) {
    if (!footer.empty()) footer += "  ";
    footer += std::to_string(names_.size()) + " columns (" + std::to_string(shown_columns) + " shown)";
  }
  // A footer wider than the table widens the last column.
  if (!footer.empty() && !layout.widths.empty() && display_width(footer) + 4 > layout.total_width())
    layout.widths.back() += display_width(footer) + 4 - layout.total_width();

  auto rule = [&](std::string_view left, std::string_view join, std::string_view right) {
    std::string line(left);
    for (size_t i = 0; i < layout.widths.size(); ++i) {
      if (i > 0) line += join;
      line += repeat("─", layout.widths[i] + 2);
    }
    out_ << line << right << '\n';
  };
  rule("┌", "┬", "┐");
  print_line(layout, names_, true);
  if (show_types_) print_line(layout, types_, true);
  if (shown_rows > 0) {
    rule("├", "┼", "┤");
    print_spilled(layout);
    for (const auto& r : head_) print_line(layout, r, false);
    if (shown_rows < total_rows_) {
      Row dots(names_.size(), "·");
      for (int i = 0; i < 3; ++i) print_line(layout, dots, false);
    }
    for (const auto& r : tail_) print_line(layout, r, false);
  }
  if (footer.empty()) {
    rule("└", "┴", "┘");
  } else {
    rule("├", "┴", "┤");
    size_t inner = layout.total_width() - 4;
    out_ << "│ " << footer << std::string(inner - display_width(footer), ' ') << " │\n";
    out_ << "└" << repeat("─", inner + 2) << "┘\n";
  }
  out_.flush();
}

}  // namespace pond::cli
