# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The fbsd-livepatch developers
#
# `make install` (cmake --install): PREFIX (CMAKE_INSTALL_PREFIX, /usr/local
# by default) and DESTDIR are honoured.  The layout (docs/install.md):
#   sbin/fbsd-patchgen, sbin/fbsd-livepatch
#   libexec/fbsd-livepatch/fbsdlp-clang-scan  (found by fbsd-patchgen
#                                              relative to its own path)
#   man/man8/fbsd-patchgen.8, fbsd-livepatch.8; man/man4/livepatch.4
#   share/fbsd-livepatch/{freebsd,core,include,patch}  livepatch.ko's
#     sources with their bsd.kmod.mk Makefile, and the patch module stub
#   etc/rc.d/livepatch
# `make uninstall` removes exactly what install_manifest.txt lists, then
# the directories that are the project's own, when empty.
set(FBSDLP_MANDIR "man" CACHE STRING "Manual page directory, relative to the prefix")

install(TARGETS fbsd-patchgen fbsd-livepatch RUNTIME DESTINATION sbin)
install(TARGETS fbsdlp-clang-scan RUNTIME DESTINATION libexec/fbsd-livepatch)
install(FILES docs/fbsd-patchgen.8 docs/fbsd-livepatch.8 DESTINATION ${FBSDLP_MANDIR}/man8)
install(FILES docs/livepatch.4 DESTINATION ${FBSDLP_MANDIR}/man4)
foreach(dir freebsd core include patch)
  install(DIRECTORY kmod-template/${dir} DESTINATION share/fbsd-livepatch
    FILES_MATCHING PATTERN "*.c" PATTERN "*.h" PATTERN "Makefile")
endforeach()

# install(CODE) sees no configure-time variables but the ones set here.
install(CODE "set(FBSDLP_RC_SOURCE \"${PROJECT_SOURCE_DIR}/kmod-template/tools/rc.d/livepatch\")")
# The rc.d script names fbsd-livepatch by its installed path, which is known
# only at install time (cmake --install --prefix).
install(CODE [[
  set(_rc "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}/etc/rc.d/livepatch")
  file(READ "${FBSDLP_RC_SOURCE}" _text)
  string(REPLACE "%%PREFIX%%" "${CMAKE_INSTALL_PREFIX}" _text "${_text}")
  file(MAKE_DIRECTORY "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}/etc/rc.d")
  message(STATUS "Installing: ${_rc}")
  file(WRITE "${_rc}" "${_text}")
  file(CHMOD "${_rc}" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE
    GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  # The manifest lists paths without DESTDIR, as CMake's own entries.
  list(APPEND CMAKE_INSTALL_MANIFEST_FILES "${CMAKE_INSTALL_PREFIX}/etc/rc.d/livepatch")
]])
