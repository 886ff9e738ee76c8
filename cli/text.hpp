// Small text helpers for fitting reports into a terminal's width.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace timeslice {

/// wrap_words() breaks `text` into lines of at most `width` columns at spaces.
/// Every line starts with `indent` spaces, continuation lines with `indent +
/// hanging`; each line ends with '\n'. Within a line, a run of spaces between two
/// words is kept as written; a line break or tab between them becomes one space.
std::string wrap_words(std::string_view text, std::size_t width, std::size_t indent = 0,
                       std::size_t hanging = 0);

/// option_name() spells a policy parameter as an option: min_granularity →
/// min-granularity.
std::string option_name(std::string_view param);

/// join_items() lays `items` out separated by two spaces, starting a new line
/// whenever the next item would pass `width`; each line ends with '\n'.
std::string join_items(std::span<const std::string> items, std::size_t width);

}  // namespace timeslice
