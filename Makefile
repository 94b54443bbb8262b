# Thin front to CMake.  `make` builds build/dossier; `make test` builds with
# ASan+UBSan in build-asan/ and runs every test; `make setup` installs what is
# missing (Debian packages, npm data) and builds generated data.
BUILD   ?= build
ASAN    ?= build-asan
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
SHARED  ?= ../shared
CMAKE_FLAGS ?=

.PHONY: all setup deps demo test check-all bench fuzz clean

all:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

# Install missing Debian/npm dependencies and build generated data (idempotent).
setup:
	@scripts/setup

deps:
	@scripts/setup --quick

# The main job: extract the sample corpus into the embedded SQLite store and print it.
demo: setup all
	@scripts/demo $(SHARED)/corpus/seeds

test: deps
	@cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DDOSSIER_SANITIZE=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(ASAN) -j$(JOBS)
	@cd $(ASAN) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j$(JOBS)

check-all: test
	@scripts/check-all

bench: all
	@scripts/bench

fuzz:
	@scripts/fuzz

clean:
	rm -rf $(BUILD) $(ASAN) build-fuzz
