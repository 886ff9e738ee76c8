// Checking TOML values, and turning a place in the file into LINE:COLUMN as toml++
// counts it (a column is a character, not a byte).
#include "toml_reader.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "text.hpp"

namespace timeslice {

toml::table TomlReader::parse() const {
    try {
        return toml::parse(text_, path_);
    } catch (const toml::parse_error& e) {
        throw error_at(e.source().begin, std::string(e.description()));
    }
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

// Walks the raw text from the opening quote: escapes ("\t", "\u00e9") are longer in
// the file than in the value, and a multi-line string starts on the next line.
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
    for (std::size_t value = 0; value < offset && at < text_.size();) {
        const std::size_t raw = quote == '"' && text_[at] == '\\' ? escape_length(at) : 1;
        value += raw == 1 ? 1 : escaped_value_length(at);
        at += raw;
    }
    return position_of(at);
}

// The length in the file of the escape starting at `at` ("\n" is 2).
std::size_t TomlReader::escape_length(std::size_t at) const {
    const char kind = at + 1 < text_.size() ? text_[at + 1] : ' ';
    return kind == 'u' ? 6 : kind == 'U' ? 10 : 2;
}

// The bytes the escape at `at` stands for in the value.
std::size_t TomlReader::escaped_value_length(std::size_t at) const {
    const char kind = text_[at + 1];
    if (kind != 'u' && kind != 'U') return 1;
    const unsigned long code =
        std::stoul(std::string(text_.substr(at + 2, kind == 'u' ? 4 : 8)), nullptr, 16);
    return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
}

std::size_t TomlReader::line_start(std::size_t number) const {
    std::size_t start = 0;
    for (std::size_t n = 1; n < number; ++n) start = text_.find('\n', start) + 1;
    return start;
}

// Returns the line and column of byte `at`, the column counted in characters, as
// toml++ counts them.
toml::source_position TomlReader::position_of(std::size_t at) const {
    const std::string_view before = text_.substr(0, at);
    const auto line = 1 + std::count(before.begin(), before.end(), '\n');
    const std::string_view in_line = before.substr(before.rfind('\n') + 1);
    const auto column = 1 + characters(in_line);
    return {static_cast<toml::source_index>(line), static_cast<toml::source_index>(column)};
}

}  // namespace timeslice
