# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The fbsd-livepatch developers
#
# End-to-end: contrib/ci/livepatch-pipeline on the fixture kernel
# (tests/e2e/pipeline_test.sh).  Included from tests/CMakeLists.txt; shares
# the driver tests' original-build cache ${CMAKE_BINARY_DIR}/test-cache/
# minikern-kernel (fbsd-patchgen locks it).  Exit 77 = skipped (no
# signify-openbsd or jq).
if(TARGET fbsd-patchgen)
  foreach(_mode all patchable)
    if(_mode STREQUAL "all")
      set(_tname "e2e: pipeline, all fixture fixes (3 refused)")
    else()
      set(_tname "e2e: pipeline, patchable fixes only")
    endif()
    add_test(NAME "${_tname}"
      COMMAND sh ${PROJECT_SOURCE_DIR}/tests/e2e/pipeline_test.sh ${_mode}
              $<TARGET_FILE:fbsd-patchgen> ${PROJECT_SOURCE_DIR} ${CMAKE_BINARY_DIR}
      WORKING_DIRECTORY ${CMAKE_BINARY_DIR})
    set_tests_properties("${_tname}" PROPERTIES
      TIMEOUT 600 SKIP_RETURN_CODE 77 RESOURCE_LOCK minikern-kernel-cache)
  endforeach()
endif()
