# Parley — the two commands a newcomer needs:
#   make run    builds and runs the worked example (scripts/alaska-talks.json)
#   make test   builds and runs every test
# Other targets: deps, build, sanitize (ASan+UBSan test run), bench, install, clean.
BUILD       ?= build
BUILD_ASAN  ?= build-asan
CMAKE_FLAGS ?=
JOBS        ?= $(shell nproc 2>/dev/null || echo 2)
DEB_PACKAGES = liblua5.4-dev lua5.4 libcjson-dev libcmocka-dev pkg-config cmake
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build run test sanitize bench install clean

all: build

# Installs Debian's packages when pkg-config cannot find the libraries.
deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! command -v cmake >/dev/null 2>&1 \
	    || ! pkg-config --exists lua5.4 libcjson cmocka; then \
	  echo "make deps: installing $(DEB_PACKAGES)"; \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $(DEB_PACKAGES); \
	fi

build: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@MAKEFLAGS= cmake --build $(BUILD) -j $(JOBS) -- --no-print-directory >/dev/null \
	  || MAKEFLAGS= cmake --build $(BUILD) -j 1

run: build
	$(BUILD)/parley run scripts/alaska-talks.json

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

sanitize: deps
	@cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DPARLEY_SANITIZE=ON -DPARLEY_WERROR=ON >/dev/null
	@MAKEFLAGS= cmake --build $(BUILD_ASAN) -j $(JOBS) -- --no-print-directory >/dev/null \
	  || MAKEFLAGS= cmake --build $(BUILD_ASAN) -j 1
	ctest --test-dir $(BUILD_ASAN) --output-on-failure -j $(JOBS)

bench: build
	bash tests/bench/run.sh $(BUILD)

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(BUILD_ASAN)
