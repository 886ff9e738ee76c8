// TomlReader: what every part of the scenario reader needs to check a TOML file's
// values and to report an error at its place in the file ("PATH:LINE:COLUMN: what
// was wrong and what was expected").
#pragma once

#include <toml++/toml.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "kernel/ids.hpp"
#include "scenario.hpp"

namespace timeslice {

class TomlReader {
  public:
    TomlReader(std::string_view text, std::string path) : text_(text), path_(std::move(path)) {}

    const std::string& path() const { return path_; }

    /// parse() reads the whole file; throws ScenarioError where it is not TOML, or
    /// where a key or string holds a control character (a program may hold tabs
    /// and new lines).
    toml::table parse() const;

    /// location() returns "PATH:LINE:COLUMN: ", the prefix of an error at `where`.
    std::string location(const toml::source_position& where) const;
    /// error_at() returns the ScenarioError `what` at `where`.
    ScenarioError error_at(const toml::source_position& where, std::string_view what) const;

    /// table_at() returns the table `key` of `root`, or nullptr when there is none;
    /// throws when `key` is there but not a table.
    const toml::table* table_at(const toml::table& root, std::string_view key) const;
    /// check_keys() throws at the first key of `table` (called `where` in the
    /// message) that is not in `allowed`, with a guess when one is close.
    void check_keys(const toml::table& table, std::initializer_list<std::string_view> allowed,
                    std::string_view where) const;

    std::string string_of(const toml::node& node, std::string_view key) const;
    std::int64_t signed_integer(const toml::node& node, std::string_view key) const;
    /// ranged() returns the integer `node`, which must lie in [min, max].
    std::int64_t ranged(const toml::node& node, std::string_view key, std::int64_t min,
                        std::int64_t max) const;
    /// integer() returns the integer `node`, which must be at least `min`.
    Tick integer(const toml::node& node, std::string_view key, Tick min) const;
    bool boolean(const toml::node& node, std::string_view key) const;

    /// position_in_string() locates byte `offset` of the string value `node` in the
    /// file, escapes and multi-line strings included.
    toml::source_position position_in_string(const toml::node& node, std::size_t offset) const;

  private:
    std::size_t escape_length(std::size_t at) const;
    std::size_t escaped_value_length(std::size_t at) const;
    std::size_t line_start(std::size_t number) const;
    toml::source_position position_of(std::size_t at) const;

    std::string_view text_;
    std::string path_;
};

/// read_sync() reads the optional [sync] table of `root`: the locks, semaphores
/// and condition variables tasks may name. Throws ScenarioError on bad input.
SyncSpec read_sync(const TomlReader& reader, const toml::table& root);

}  // namespace timeslice
