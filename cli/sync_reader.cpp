// Reads a scenario's [sync] table: the locks, semaphores and condition variables
// its tasks share, each declared by name before a program may use it.
//
//   [sync]
//   locks = ["A", { name = "B", inherit = true }]   # a name, or a table
//   semaphores = { slots = 3, items = { count = 0, max = 3 } }   # a count, or a table
//   conditions = ["not_empty", "not_full"]
#include <fmt/format.h>

#include <map>

#include "toml_reader.hpp"

namespace timeslice {
namespace {

/// kMaxUnits is the largest count a semaphore may start with or reach.
constexpr std::int64_t kMaxUnits = 1'000'000'000'000'000;

/// SyncReader reads the table, and checks that no two objects share a name.
class SyncReader {
  public:
    explicit SyncReader(const TomlReader& reader) : reader_(reader) {}

    SyncSpec read(const toml::table& sync) {
        reader_.check_keys(sync, {"locks", "semaphores", "conditions"}, "[sync]");
        SyncSpec spec;
        if (const toml::node* node = sync.get("locks")) {
            for (const toml::node& lock : array_of(*node, "locks")) spec.locks.push_back(read_lock(lock));
        }
        if (const toml::node* node = sync.get("semaphores")) read_semaphores(*node, spec);
        if (const toml::node* node = sync.get("conditions")) {
            for (const toml::node& condition : array_of(*node, "conditions"))
                spec.conditions.push_back(name(condition, "condition"));
        }
        return spec;
    }

  private:
    const toml::array& array_of(const toml::node& node, std::string_view key) {
        if (const toml::array* array = node.as_array()) return *array;
        throw reader_.error_at(node.source().begin,
                               fmt::format("'{}' must be a list of names, e.g. [\"A\", \"B\"]", key));
    }

    LockSpec read_lock(const toml::node& node) {
        const toml::table* table = node.as_table();
        if (table == nullptr) return {name(node, "lock"), false};
        reader_.check_keys(*table, {"name", "inherit"}, "a lock");
        const toml::node* name_node = table->get("name");
        if (name_node == nullptr) {
            throw reader_.error_at(node.source().begin,
                                   "a lock given as a table needs its 'name'");
        }
        LockSpec lock{name(*name_node, "lock"), false};
        if (const toml::node* inherit = table->get("inherit"))
            lock.inherit = reader_.boolean(*inherit, "inherit");
        return lock;
    }

    void read_semaphores(const toml::node& node, SyncSpec& spec) {
        const toml::table* table = node.as_table();
        if (table == nullptr) {
            throw reader_.error_at(node.source().begin,
                                   "'semaphores' must be a table of initial counts, e.g. "
                                   "{ slots = 3 }");
        }
        for (auto&& [key, value] : *table) {
            SemaphoreSpec semaphore{claim(std::string(key.str()), key.source().begin, "semaphore"),
                                    0, std::nullopt};
            const toml::table* detail = value.as_table();
            if (detail == nullptr) {
                semaphore.initial = reader_.ranged(value, key.str(), 0, kMaxUnits);
            } else {
                read_semaphore_detail(*detail, semaphore);
            }
            spec.semaphores.push_back(std::move(semaphore));
        }
    }

    void read_semaphore_detail(const toml::table& table, SemaphoreSpec& semaphore) {
        reader_.check_keys(table, {"count", "max"}, "a semaphore");
        if (const toml::node* count = table.get("count"))
            semaphore.initial = reader_.ranged(*count, "count", 0, kMaxUnits);
        if (const toml::node* max = table.get("max")) {
            semaphore.max = reader_.ranged(*max, "max", 1, kMaxUnits);
            if (semaphore.initial > *semaphore.max) {
                throw reader_.error_at(max->source().begin,
                                       fmt::format("'max' must be at least the count, {}",
                                                   semaphore.initial));
            }
        }
    }

    /// name() reads the name of an object of kind `noun`, and claims it.
    std::string name(const toml::node& node, std::string_view noun) {
        const std::string text = reader_.string_of(node, fmt::format("a {}'s name", noun));
        return claim(text, node.source().begin, noun);
    }

    /// claim() checks that `text` can name an object and that no other object has
    /// it, and returns it.
    std::string claim(const std::string& text, const toml::source_position& where,
                      std::string_view noun) {
        if (text.empty())
            throw reader_.error_at(where, fmt::format("a {} needs a name", noun));
        if (text.find('"') != std::string::npos) {
            throw reader_.error_at(
                where, fmt::format("a {}'s name cannot hold '\"': programs quote names with it",
                                   noun));
        }
        const auto [it, fresh] = claimed_.try_emplace(text, std::string(noun), where);
        if (!fresh) {
            throw reader_.error_at(
                where, fmt::format("'{}' is declared twice: it is already the {} at line {}",
                                   text, it->second.first, it->second.second.line));
        }
        return text;
    }

    const TomlReader& reader_;
    /// The names declared so far: what each names, and where.
    std::map<std::string, std::pair<std::string, toml::source_position>> claimed_;
};

}  // namespace

SyncSpec read_sync(const TomlReader& reader, const toml::table& root) {
    const toml::table* sync = reader.table_at(root, "sync");
    if (sync == nullptr) return {};
    return SyncReader(reader).read(*sync);
}

}  // namespace timeslice
