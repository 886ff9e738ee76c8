// The kernel's one speed trick about inlining, in one place. The functions a yield
// passes through are inlined into Kernel::advance() (TS_ON_HOT_PATH), and the ones
// a yield never takes are kept out of it (TS_OFF_HOT_PATH, TS_COLD), so that the
// path stays short and small. Measured: calls between the hot path's functions
// cost a yield on one CPU about a third more (docs/benchmark.md).
#pragma once

#define TS_ON_HOT_PATH [[gnu::always_inline]]
#define TS_OFF_HOT_PATH [[gnu::noinline]]
/// TS_COLD marks an error path: out of line, and laid out away from the rest.
#define TS_COLD [[gnu::cold, gnu::noinline]]
