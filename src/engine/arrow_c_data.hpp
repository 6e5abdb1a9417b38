#pragma once
// Internal to the engine: the Arrow C Data Interface structs (an ABI defined by the Arrow
// specification, written here from it) and move-only owners that call their release callbacks.

#include <cstdint>
#include <utility>

#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;
  void (*release)(struct ArrowSchema*);
  void* private_data;
};

struct ArrowArray {
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;
  void (*release)(struct ArrowArray*);
  void* private_data;
};

#endif  // ARROW_C_DATA_INTERFACE

namespace pond::engine::detail {

// Owns one exported C Data Interface struct (ArrowSchema or ArrowArray): releases it once.
template <typename T>
class ArrowOwned {
 public:
  ArrowOwned() { value_.release = nullptr; }
  ArrowOwned(const ArrowOwned&) = delete;
  ArrowOwned& operator=(const ArrowOwned&) = delete;
  ArrowOwned(ArrowOwned&& other) noexcept : value_(other.value_) { other.value_.release = nullptr; }
  ArrowOwned& operator=(ArrowOwned&& other) noexcept {
    if (this != &other) {
      reset();
      value_ = other.value_;
      other.value_.release = nullptr;
    }
    return *this;
  }
  ~ArrowOwned() { reset(); }

  T* get() { return &value_; }
  const T& operator*() const { return value_; }
  const T* operator->() const { return &value_; }
  void reset() {
    if (value_.release) value_.release(&value_);
    value_.release = nullptr;
  }

 private:
  T value_{};
};

using OwnedArrowSchema = ArrowOwned<ArrowSchema>;
using OwnedArrowArray = ArrowOwned<ArrowArray>;

}  // namespace pond::engine::detail
