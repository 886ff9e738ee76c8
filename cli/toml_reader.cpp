// Checking TOML values, and turning a place in the file into LINE:COLUMN as toml++
// counts it (a column is a character, not a byte).
#include "toml_reader.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <optional>

#include "kernel/printable.hpp"
#include "text.hpp"

namespace timeslice {
namespace {

/// kByteOrderMark may start a UTF-8 file; toml++ skips it, and counts no column for it.
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

/// line_end_escape() returns the length of the "\" at `at` of `text` with the blanks
/// and new lines after it, when it ends a line (in a multi-line string, where
/// it trims them all from the value), or 0 when it is an ordinary escape.
std::size_t line_end_escape(std::string_view text, std::size_t at) {
    const std::size_t after_blanks = std::min(text.find_first_not_of(" \t", at + 1), text.size());
    if (text.substr(after_blanks, 1) != "\n" && text.substr(after_blanks, 2) != "\r\n") return 0;
    return std::min(text.find_first_not_of(" \t\r\n", after_blanks), text.size()) - at;
}

/// Stray is a control character where a scenario may not hold one: in a key, or
/// in a string, of which only a program may hold tabs and new lines.
struct Stray {
    std::string_view key;                ///< The key that holds it, or the string's key.
    const toml::node* string = nullptr;  ///< The string that holds it, or nullptr.
    toml::source_position key_begin;     ///< Where the key that holds it starts.
    std::size_t offset = 0;              ///< The character's byte in the key or string.
    unsigned char character = 0;
};

/// control_character() returns the first byte of `text` that is a control
/// character not in `allowed`, or npos.
std::size_t control_character(std::string_view text, std::string_view allowed) {
    for (std::size_t at = 0; at < text.size(); ++at) {
        const auto c = static_cast<unsigned char>(text[at]);
        if ((c < 0x20 || c == 0x7F) && allowed.find(text[at]) == std::string_view::npos) return at;
    }
    return std::string_view::npos;
}

/// find_stray() returns the first stray control character in `node`, the value
/// of `key`, looking into tables in the order of their keys.
std::optional<Stray> find_stray(const toml::node& node, std::string_view key) {
    if (const toml::table* table = node.as_table()) {
        for (auto&& [name, value] : *table) {
            const std::size_t at = control_character(name.str(), "");
            if (at != std::string_view::npos) {
                return Stray{name.str(), nullptr, name.source().begin, at,
                             static_cast<unsigned char>(name.str()[at])};
            }
            if (std::optional<Stray> stray = find_stray(value, name.str())) return stray;
        }
    } else if (const toml::array* array = node.as_array()) {
        for (const toml::node& item : *array) {
            if (std::optional<Stray> stray = find_stray(item, key)) return stray;
        }
    } else if (const toml::value<std::string>* string = node.as_string()) {
        const std::string_view text = string->get();
        const std::size_t at = control_character(text, key == "program" ? "\t\n\r" : "");
        if (at != std::string_view::npos) {
            return Stray{key, &node, {}, at, static_cast<unsigned char>(text[at])};
        }
    }
    return std::nullopt;
}

}  // namespace

// toml++ places an error at the end of the file one column past the new line
// that ends the last line; the end of the file is where the next line starts.
// Control characters are refused, but for a program's tabs and new lines: in a
// message that quotes a name or a key they would break the line, or end it (NUL).
toml::table TomlReader::parse() const {
    toml::table root;
    try {
        root = toml::parse(text_, path_);
    } catch (const toml::parse_error& e) {
        toml::source_position where = e.source().begin;
        const std::size_t newline = text_.find('\n', line_start(where.line));
        if (newline != std::string_view::npos && where.column > position_of(newline).column) {
            where = position_of(newline + 1);
        }
        throw error_at(where, printable(e.description()));
    }
    if (const std::optional<Stray> stray = find_stray(root, "")) {
        const std::string what =
            fmt::format("cannot hold the control character U+{:04X}", stray->character);
        if (stray->string == nullptr) throw error_at(stray->key_begin, "a key " + what);
        const bool blank = std::string_view("\t\n\r").find(static_cast<char>(stray->character)) !=
                           std::string_view::npos;
        throw error_at(position_in_string(*stray->string, stray->offset),
                       fmt::format("'{}' {}{}", stray->key, what,
                                   blank ? ": only a program may hold tabs and new lines" : ""));
    }
    return root;
}

std::string TomlReader::location(const toml::source_position& where) const {
    return fmt::format("{}:{}:{}: ", path_, where.line, where.column);
}

ScenarioError TomlReader::error_at(const toml::source_position& where,
                                   std::string_view what) const {
    return ScenarioError(location(where) + std::string(what));
}

const toml::table* TomlReader::table_at(const toml::table& root, std::string_view key) const {
    const toml::node* node = root.get(key);
    if (!node) return nullptr;
    if (!node->is_table())
        throw error_at(node->source().begin,
                       fmt::format("'{}' must be a table: write [{}]", key, key));
    return node->as_table();
}

void TomlReader::check_keys(const toml::table& table,
                            std::initializer_list<std::string_view> allowed,
                            std::string_view where) const {
    for (auto&& [key, value] : table) {
        if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
        throw error_at(key.source().begin,
                       fmt::format("unknown key '{}' in {} (expected {}){}", key.str(), where,
                                   fmt::join(allowed, ", "),
                                   did_you_mean(key.str(), {allowed.begin(), allowed.end()})));
    }
}

std::string TomlReader::string_of(const toml::node& node, std::string_view key) const {
    if (const auto* s = node.as_string()) return s->get();
    throw error_at(node.source().begin, fmt::format("'{}' must be a string in quotes", key));
}

std::int64_t TomlReader::signed_integer(const toml::node& node, std::string_view key) const {
    if (const auto* i = node.as_integer()) return i->get();
    throw error_at(node.source().begin, fmt::format("'{}' must be a whole number", key));
}

std::int64_t TomlReader::ranged(const toml::node& node, std::string_view key, std::int64_t min,
                                std::int64_t max) const {
    const std::int64_t value = signed_integer(node, key);
    if (value < min || value > max) {
        throw error_at(node.source().begin, fmt::format("'{}' must be at {} {}, not {}", key,
                                                        value < min ? "least" : "most",
                                                        value < min ? min : max, value));
    }
    return value;
}

Tick TomlReader::integer(const toml::node& node, std::string_view key, Tick min) const {
    const std::int64_t value = signed_integer(node, key);
    if (value < 0 || static_cast<Tick>(value) < min) {
        throw error_at(node.source().begin,
                       fmt::format("'{}' must be at least {}, not {}", key, min, value));
    }
    return static_cast<Tick>(value);
}

bool TomlReader::boolean(const toml::node& node, std::string_view key) const {
    if (const auto* b = node.as_boolean()) return b->get();
    throw error_at(node.source().begin, fmt::format("'{}' must be true or false", key));
}

// Walks the raw text from the opening quote, one piece of the value at a time: an
// escape ("\t", "\u00e9") is longer in the file than in the value, a multi-line
// string starts on the next line and its "\r\n" is "\n" in the value, and a "\"
// at the end of one of its lines stands for nothing. The walk stops at the piece
// that holds byte `offset`, or at the closing quote for the end of the value.
toml::source_position TomlReader::position_in_string(const toml::node& node,
                                                     std::size_t offset) const {
    const toml::source_position begin = node.source().begin;
    std::size_t at = line_start(begin.line);
    for (std::size_t column = 1; column < begin.column && at < text_.size(); ++column) {
        at = next_character(text_, at);
    }
    const char quote = text_[at];
    const bool multi_line = text_.substr(at, 3) == std::string(3, quote);
    at += multi_line ? 3 : 1;
    if (multi_line && text_.substr(at, 1) == "\n") ++at;
    if (multi_line && text_.substr(at, 2) == "\r\n") at += 2;
    for (std::size_t value = 0; at < text_.size();) {
        const bool escape = quote == '"' && text_[at] == '\\';
        const std::size_t raw = escape ? escape_length(at) : text_.substr(at, 2) == "\r\n" ? 2 : 1;
        const std::size_t length = escape ? escaped_value_length(at) : 1;
        if (value + length > offset) break;
        value += length;
        at += raw;
    }
    return position_of(at);
}

// The length in the file of the escape starting at `at` ("\n" is 2).
std::size_t TomlReader::escape_length(std::size_t at) const {
    if (const std::size_t length = line_end_escape(text_, at)) return length;
    const char kind = at + 1 < text_.size() ? text_[at + 1] : ' ';
    return kind == 'u' ? 6 : kind == 'U' ? 10 : 2;
}

// The bytes the escape at `at` stands for in the value.
std::size_t TomlReader::escaped_value_length(std::size_t at) const {
    if (line_end_escape(text_, at) > 0) return 0;
    const char kind = text_[at + 1];
    if (kind != 'u' && kind != 'U') return 1;
    const unsigned long code =
        std::stoul(std::string(text_.substr(at + 2, kind == 'u' ? 4 : 8)), nullptr, 16);
    return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
}

// Line 1 starts after the byte order mark, if any: toml++ skips it.
std::size_t TomlReader::line_start(std::size_t number) const {
    std::size_t start = text_.starts_with(kByteOrderMark) ? kByteOrderMark.size() : 0;
    for (std::size_t n = 1; n < number; ++n) start = text_.find('\n', start) + 1;
    return start;
}

// Returns the line and column of byte `at`, the column counted in characters, as
// toml++ counts them.
toml::source_position TomlReader::position_of(std::size_t at) const {
    const std::string_view before = text_.substr(0, at);
    const auto line = 1 + std::count(before.begin(), before.end(), '\n');
    std::string_view in_line = before.substr(before.rfind('\n') + 1);
    if (line == 1 && in_line.starts_with(kByteOrderMark)) {
        in_line.remove_prefix(kByteOrderMark.size());
    }
    const auto column = 1 + characters(in_line);
    return {static_cast<toml::source_index>(line), static_cast<toml::source_index>(column)};
}

}  // namespace timeslice
