#pragma once
// Splits a script into statements on ';' that are outside string literals ('...', E'...'),
// quoted identifiers ("..."), dollar-quoted strings ($$...$$, $tag$...$tag$) and comments
// (-- ... and /* ... */, nested). Empty statements and trailing comments are dropped.

#include <string>
#include <string_view>
#include <vector>

namespace pond::workspace {

std::vector<std::string> split_statements(std::string_view script);

// True when `text` ends inside a string, identifier or comment, or lacks a final ';'
// after its last statement: the shell keeps reading lines until this is false.
bool statement_incomplete(std::string_view text);

}  // namespace pond::workspace
