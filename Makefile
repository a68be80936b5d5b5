# gmail-tui. `make demo` and `make test` install what is missing (as root) or
# print the exact apt-get line, build, and run.
SWIFT ?= swift
# What the build needs, and what the tests add (tmux drives the browser; python3-venv holds Google's
# client libraries for the conformance suite).
APT_PACKAGES := libncurses-dev libcurl4-openssl-dev libsqlite3-dev
TEST_APT_PACKAGES := tmux python3-venv
CONFIG ?= debug
BIN := .build/$(CONFIG)

.PHONY: all deps test-deps build release test conformance demo bench sandbox clean

all: build

# Installs the system packages the build needs (`test-deps`: and the tests).
deps test-deps:
	@missing=""; for p in $(APT_PACKAGES) $(if $(filter test-deps,$@),$(TEST_APT_PACKAGES)); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "gmail-tui needs:$$missing"; echo "run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi; \
	command -v $(SWIFT) >/dev/null || { echo "Swift 6 is required: https://swift.org/install"; exit 1; }

build: deps
	$(SWIFT) build -c $(CONFIG)

release:
	$(MAKE) build CONFIG=release

# Every test: unit, sandbox router, client-against-sandbox scenarios, the real
# binary driven in tmux (which needs the executables built first), and the
# conformance suite.
test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) --no-print-directory conformance

# Google's own Python client libraries (pinned in Tests/Conformance/requirements.txt, installed
# from PyPI into .build/conformance-venv) run the guide's flow against gmail-sandbox. Built as
# `test` builds it: `--product` alone compiles with other flags and would rebuild the packages.
conformance: test-deps
	$(SWIFT) build --build-tests
	sh Tests/Conformance/run.sh .build/debug/gmail-sandbox

demo: build
	$(BIN)/gmail-tui --demo

# Release build, then the figures of README's "Performance" section, measured here (about 30 s once built).
bench: deps
	$(SWIFT) build -c release --product gmail-tui
	$(SWIFT) build -c release --product gmail-bench
	.build/release/gmail-bench --tui .build/release/gmail-tui

sandbox: build
	$(BIN)/gmail-sandbox --port 0

clean:
	rm -rf .build
