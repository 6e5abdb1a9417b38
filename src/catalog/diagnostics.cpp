#include "catalog/diagnostics.hpp"

#include <algorithm>
#include <cctype>

#include "engine/error.hpp"

namespace pond::catalog {

std::string Location::to_string() const {
  if (line <= 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

const SourceSpec* Catalog::find_source(const std::string& name) const {
  for (const SourceSpec& s : sources) {
    if (same_name(s.name, name)) return &s;
  }
  return nullptr;
}

const SecretSpec* Catalog::find_secret(const std::string& name) const {
  for (const SecretSpec& s : secrets) {
    if (same_name(s.name, name)) return &s;
  }
  return nullptr;
}

void Diagnostics::add(const Location& at, std::string message) { items_.push_back({at, std::move(message)}); }

void Diagnostics::throw_if_any() const {
  if (items_.empty()) return;
  std::string text;
  for (const Diagnostic& d : items_) {
    if (!text.empty()) text += "\n";
    text += d.at.to_string() + ": " + d.message;
  }
  throw Error(ErrorKind::invalid_input, text);
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1);
  std::vector<size_t> cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      bool same =
          std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1]));
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string* best = nullptr;
  size_t best_distance = 0;
  for (const std::string& c : candidates) {
    size_t d = edit_distance(word, c);
    if (best == nullptr || d < best_distance) {
      best = &c;
      best_distance = d;
    }
  }
  // Close enough to be a typo: at most a third of the word, and never the whole word.
  size_t limit = std::max<size_t>(2, std::max(word.size(), best ? best->size() : 0) / 3);
  if (best == nullptr || best_distance == 0 || best_distance > limit || best_distance >= word.size()) return "";
  return "; did you mean '" + *best + "'?";
}

}  // namespace pond::catalog
