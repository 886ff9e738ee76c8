// Small text helpers: fitting reports into a terminal's width, counted in
// characters, and guessing which name a misspelt one meant.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace timeslice {

/// next_character() returns where the UTF-8 character after the one starting at
/// byte `at` of `text` starts (text.size() past the last).
std::size_t next_character(std::string_view text, std::size_t at);

/// characters() returns how many characters (UTF-8 code points) `text` holds.
std::size_t characters(std::string_view text);

/// columns() returns how many terminal columns `text` takes: one per character,
/// two for East Asian wide characters and emoji, as fmt counts when it pads.
std::size_t columns(std::string_view text);

/// shorten() returns `text` when it takes at most `max_columns` columns, else as
/// many of its first characters as leave a column for the '~' that follows them.
/// It never splits a character.
std::string shorten(std::string_view text, std::size_t max_columns);

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

/// did_you_mean() returns "; did you mean 'NAME'?", to end a message, for the name
/// in `names` that `given` most likely misspells: at most two characters added,
/// left out, changed or swapped with the next, ignoring case, and no more than a
/// third of the characters of `given`. It returns "" when no name is that close,
/// or when two are equally close.
std::string did_you_mean(std::string_view given, std::span<const std::string_view> names);

/// ColumnGroup is the columns [first, end) of a table printed together.
struct ColumnGroup {
    std::size_t first;
    std::size_t end;
};

/// column_groups() splits a table's columns after its first `keys` (which every
/// part repeats: the row's name) into groups that fit `width`, from left to right,
/// with `gap` spaces between columns. Each group takes at least one column, even
/// one too wide to fit.
std::vector<ColumnGroup> column_groups(std::span<const std::size_t> widths, std::size_t keys,
                                       std::size_t gap, std::size_t width);

}  // namespace timeslice
