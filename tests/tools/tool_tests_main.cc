// SPDX-License-Identifier: BSD-2-Clause
//
// Copyright (c) 2026 The fbsd-livepatch developers

// Catch2 main, in its own file so the tests recompile quickly.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
