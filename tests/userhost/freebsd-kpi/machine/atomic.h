/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Copyright (c) 2026 The fbsd-livepatch developers
 */

/* Declarations only: see fbsd_kpi.h at the top of this tree. */
#include "fbsd_kpi.h"
