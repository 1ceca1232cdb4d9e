# `make run` and `make test` install what is missing, then build. See README.md.
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libncurses-dev libssl-dev pkg-config libcoap3-bin socat tmux
PY_PACKAGES := aiocoap pyserial

.PHONY: deps build run test bench screenshots clean

deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; fi
	@python3 -c "import aiocoap, serial" 2>/dev/null || python3 -m pip install -q $(PY_PACKAGES)

build: deps
	$(SWIFT) build

ARGS ?=
run: build
	$(SWIFT) run bc260 $(ARGS)

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Both products: the pty and scripts rows run bc260 as a process. ONLY=NAME runs one row.
bench: deps
	$(SWIFT) build -c release --product bc260
	$(SWIFT) build -c release --product bc260-bench
	.build/release/bc260-bench $(if $(ONLY),--only $(ONLY))

SHOT_PACKAGES := aha fonts-unifont chromium tmux
# Real runs of the console in tmux, photographed: see scripts/screenshots.sh.
screenshots: build
	@missing=""; for p in $(SHOT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; fi
	scripts/screenshots.sh

clean:
	rm -rf .build
