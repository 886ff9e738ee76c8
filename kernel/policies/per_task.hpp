// PerTask: what a policy remembers of each task (a pass, a virtual runtime, a
// level), indexed by TaskId and grown on first use, since a policy learns of a
// task only when the kernel first hands it over.
#pragma once

#include <vector>

#include "../ids.hpp"

namespace timeslice {

template <class T>
class PerTask {
  public:
    /// operator[] returns the record of `id`, made with T's defaults if new.
    T& operator[](TaskId id) {
        if (index(id) >= records_.size()) records_.resize(index(id) + 1);
        return records_[index(id)];
    }
    /// at() returns the record of `id`, which must have been made already.
    const T& at(TaskId id) const { return records_.at(index(id)); }

    auto begin() { return records_.begin(); }
    auto end() { return records_.end(); }

  private:
    std::vector<T> records_;
};

}  // namespace timeslice
