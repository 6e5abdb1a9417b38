#pragma once
// Terminal text measuring for the table format: how many columns a UTF-8 string takes, cutting
// it to a width with "…", and making control characters visible.

#include <cstddef>
#include <string>
#include <string_view>

namespace pond::cli {

// Columns `text` occupies on a terminal: wide East Asian characters and emoji count 2,
// combining marks 0, bytes that are not valid UTF-8 count 1 each.
size_t display_width(std::string_view text);

// `text` unchanged when it fits in `width` columns, else its longest prefix that fits in
// width - 1 columns followed by "…".
std::string truncate_to_width(std::string_view text, size_t width);

// Replaces line breaks, tabs and other control characters by visible escapes (\n, \t, \x01).
std::string escape_control_characters(std::string_view text);

}  // namespace pond::cli
