# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The fbsd-livepatch developers
#
# End-to-end, hosted flavour: every bundled fix applied live to a
# kernel.hosted linked with the userspace host (tests/userhost's
# uh-hostlib).  Included from tests/CMakeLists.txt after fbsdlp-e2e is
# defined; one ctest per fix, selected by FBSDLP_PATCH.
if(TARGET fbsdlp-e2e AND TARGET uh-hostlib AND TARGET lpctl)
  target_sources(fbsdlp-e2e PRIVATE ${CMAKE_CURRENT_LIST_DIR}/hosted_test.cc)
  target_compile_definitions(fbsdlp-e2e PRIVATE
    FBSDLP_LPCTL="$<TARGET_FILE:lpctl>"
    FBSDLP_HOSTED_LIBS_FILE="${CMAKE_BINARY_DIR}/uh-hostlib.libs")
  add_dependencies(fbsdlp-e2e uh-hostlib lpctl)
  file(GLOB _hosted_fixes CONFIGURE_DEPENDS
    ${PROJECT_SOURCE_DIR}/tests/minikern/patches/*.diff)
  foreach(_fix ${_hosted_fixes})
    get_filename_component(_name ${_fix} NAME_WE)
    add_test(NAME "e2e hosted: ${_name}"
      COMMAND fbsdlp-e2e -w NoTests "every fixture fix applied live to the hosted kernel"
      WORKING_DIRECTORY ${CMAKE_BINARY_DIR})
    set_tests_properties("e2e hosted: ${_name}" PROPERTIES
      ENVIRONMENT "FBSDLP_PATCH=${_name}" TIMEOUT 300)
  endforeach()
  add_test(NAME "e2e hosted: a series of fixes is one cumulative patch"
    COMMAND fbsdlp-e2e -w NoTests "a series of fixes gives one cumulative patch; a patch without the applied fix is refused"
    WORKING_DIRECTORY ${CMAKE_BINARY_DIR})
  set_tests_properties("e2e hosted: a series of fixes is one cumulative patch"
    PROPERTIES TIMEOUT 300)
endif()
