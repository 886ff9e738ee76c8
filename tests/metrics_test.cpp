#include "helpers.hpp"
#include <doctest/doctest.h>
