# SPDX-License-Identifier: BSD-2-Clause
#
# Copyright (c) 2026 The fbsd-livepatch developers
#
# Thin wrapper around CMake and the scripts.  Works with GNU make and with
# FreeBSD's make (bmake): all logic lives in the recipes' shell commands.
#
#   make deps          install the OS packages the project needs (idempotent)
#   make build         configure and build into build/ (binaries in build/bin/)
#   make test          build, run the tests, then run them again under ASan+UBSan
#   make test-asan     only the sanitizer build (build-asan/) and its tests
#   make demo          build, then run the bundled example through fbsd-patchgen
#   make bench         build, then run the diff benchmarks (never part of test)
#   make install       build, then install under PREFIX (/usr/local), DESTDIR
#                      honoured (docs/install.md)
#   make uninstall     remove exactly what the last install put there
#   make format        clang-format our C++ sources in place
#   make check-format  fail if a source file is not formatted
#   make clean         remove build/ and build-asan/

BUILD_TYPE ?=	RelWithDebInfo
BUILD_DIR ?=	build
ASAN_DIR ?=	build-asan
CMAKE ?=	cmake
CTEST ?=	ctest
CLANG_FORMAT ?=	clang-format
PREFIX ?=	/usr/local

# Extra arguments for the CMake configure step (e.g. CMAKE_ARGS=-G\ Ninja).
CMAKE_ARGS ?=

# CMake's find_package(LLVM 14 CONFIG) needs LLVM_DIR where LLVM 14 is not in
# the default prefix: Debian/Ubuntu (llvm-14-dev) and FreeBSD (llvm14).
LLVM_DIR_ARG =	$$(for d in /usr/lib/llvm-14/lib/cmake/llvm \
		    /usr/local/llvm14/lib/cmake/llvm; do \
		    if [ -f "$$d/LLVMConfig.cmake" ]; then \
			echo "-DLLVM_DIR=$$d"; break; fi; done)
JOBS =		$$(nproc 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null || echo 2)

# Sanitizer runs: fail on the first report, with a stack trace.
SAN_ENV =	ASAN_OPTIONS=abort_on_error=0:detect_leaks=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# What `make format` touches: our C++ (.clang-format).  The C under
# kmod-template/ is style(9), kept by hand (its .clang-format disables
# formatting); the C inputs of the regression tests and of the fixture kernel
# are test data.  None of these is formatted.
FORMAT_FILES =	find include src patchgen tools bench tests \
		    \( -name '*.cc' -o -name '*.cpp' -o -name '*.hh' \
		    -o -name '*.hpp' \) -print 2>/dev/null; \
		find include src -name '*.h' -print 2>/dev/null

.PHONY: all deps build build-asan test test-asan demo bench clean format \
	check-format install uninstall

all: build

deps:
	@sh scripts/install-deps.sh

build: deps
	$(CMAKE) -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	    $(LLVM_DIR_ARG) $(CMAKE_ARGS)
	$(CMAKE) --build $(BUILD_DIR) -j $(JOBS)

build-asan: deps
	$(CMAKE) -S . -B $(ASAN_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	    -DFBSDLP_SANITIZE=ON $(LLVM_DIR_ARG) $(CMAKE_ARGS)
	$(CMAKE) --build $(ASAN_DIR) -j $(JOBS)

test: build
	$(CTEST) --test-dir $(BUILD_DIR) --output-on-failure -j2
	$(MAKE) test-asan

test-asan: build-asan
	env $(SAN_ENV) $(CTEST) --test-dir $(ASAN_DIR) --output-on-failure -j2

demo: build
	bash scripts/demo.sh

bench: build
	bash bench/run.sh

# DESTDIR reaches cmake --install through the environment.
install: build
	$(CMAKE) --install $(BUILD_DIR) --prefix $(PREFIX)

# DESTDIR: the same as for the install (the manifest lists paths without it).
uninstall:
	$(CMAKE) -DMANIFEST=$(BUILD_DIR)/install_manifest.txt \
	    -P cmake/uninstall.cmake

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR)

format:
	@($(FORMAT_FILES)) | xargs -r $(CLANG_FORMAT) -i

check-format:
	@($(FORMAT_FILES)) | xargs -r $(CLANG_FORMAT) --dry-run --Werror
