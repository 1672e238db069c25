# Sluice: `make run` serves the embedded demo; `make test` runs every test.
# Both install what is missing first (Debian packages), so a fresh machine needs nothing else.

SWIFT      ?= swift
HOST       ?= 127.0.0.1
PORT       ?= 8080
RELEASE    := -c release
# What building and serving need; what the tests and benchmarks add.
BUILD_PKGS := libnghttp2-dev zlib1g-dev libsqlite3-dev pkg-config
TEST_PKGS  := curl gzip nghttp2-client python3 python3-pip tmux
DEB_PKGS   ?= $(BUILD_PKGS)

.PHONY: setup setup-test build build-release run test test-sanitizers bench clean

setup:
	@command -v $(SWIFT) >/dev/null || { echo "Sluice needs a Swift 6 toolchain (6.2 or later) on PATH: https://swift.org/install"; exit 1; }
	@$(SWIFT) --version 2>/dev/null | grep -Eq 'Swift version (6\.([2-9]|[1-9][0-9])|[7-9]\.)' || { echo "Sluice needs Swift 6.2 or later; found: $$($(SWIFT) --version 2>&1 | head -1)"; exit 1; }
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: setup
	$(SWIFT) build

build-release: setup
	$(SWIFT) build $(RELEASE)

run: build-release
	$$($(SWIFT) build $(RELEASE) --show-bin-path)/sluice serve --host $(HOST) --port $(PORT)

# Unit and end-to-end tests (Swift Testing, against a throwaway PostgreSQL: Tests/Postgres), the crash test
# (SIGKILLs during idempotent uploads into files, SQLite and PostgreSQL: Tests/Crash), the terminal client against a live
# server (SIGKILLs of server and client, progress in tmux: Tests/Client), many clients at once (slow readers, a
# reset flood, the connection limit: Tests/ManyClients), the page in headless Chromium and the API
# against openapi.yaml (schemathesis), and the custom-connector example package.
setup-test:
	@$(MAKE) --no-print-directory setup DEB_PKGS="$(BUILD_PKGS) $(TEST_PKGS)"

test: setup-test
	$(SWIFT) build --build-tests
	bash Tests/Postgres/with_postgres.sh $(SWIFT) test --skip-build
	bash Tests/Crash/run.sh
	bash Tests/Client/run.sh
	bash Tests/ManyClients/run.sh
	bash Tests/Web/run.sh
	cd Examples && $(SWIFT) build
	$(MAKE) --no-print-directory test-sanitizers

# The Swift suites again under ThreadSanitizer and AddressSanitizer (own build folders:
# .build-tsan, .build-asan); any report fails.
test-sanitizers: setup-test
	SWIFT=$(SWIFT) bash Tests/Sanitizers/run.sh thread
	SWIFT=$(SWIFT) bash Tests/Sanitizers/run.sh address

bench: setup-test
	bash Benchmarks/run.sh

clean:
	rm -rf .build .build-tsan .build-asan
