# mktopo developer tasks. `make` (or `make help`) lists them.
SHELL := bash
.DEFAULT_GOAL := help

# The toolchain may live in /opt/swift without being on the caller's PATH.
ifeq ($(shell command -v swift 2>/dev/null),)
export PATH := /opt/swift/usr/bin:$(PATH)
endif

# Lazily evaluated, so only the targets that use it ask SwiftPM for it. GNU make 4.3 does not
# hand exported variables to $(shell ...), hence the explicit PATH.
BIN = $(shell PATH='$(PATH)' swift build --show-bin-path)

.PHONY: help setup build release install test demo bench chaos fmt lint golden clean

# Where `make install` puts things: $(DESTDIR)$(PREFIX)/bin, share/man/man1 and the shells'
# completion directories.
PREFIX ?= /usr/local
DESTDIR ?=
# The commit a release build reports (`mktopo version`), handed to the C header it reads.
COMMIT = $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
# Release builds link the Swift runtime statically: the binary runs on hosts without a Swift
# toolchain (it needs only libc, libstdc++ and libyaml) and starts in about two-thirds of the
# time, as there are a dozen fewer libraries to load and bind.
OPTIMIZED = -c release --static-swift-stdlib
RELEASE = $(OPTIMIZED) -Xcc '-DMKTOPO_COMMIT="$(COMMIT)"'

help: ## Show this list of targets
	@echo "Usage: make TARGET"
	@echo
	@awk 'BEGIN { FS = ":.*## " } /^[a-zA-Z_-]+:.*## / { printf "  %-8s %s\n", $$1, $$2 }' \
		$(MAKEFILE_LIST)

setup: ## Install what is missing (libyaml-dev, git, openssh-server, Python modules)
	@scripts/setup.sh

build: setup ## Build everything (debug)
	swift build

release: setup ## Release build of mktopo, knowing its commit; prints where the binary is
	swift build $(RELEASE) --product mktopo
	@echo "$$(swift build $(RELEASE) --show-bin-path)/mktopo"

# The manual plugin builds mktopo in release itself, without the commit: it runs first, and
# the release build with the commit replaces that binary before it is installed.
install: setup ## Install mktopo, its man page and bash/zsh/fish completions (PREFIX, DESTDIR)
	@set -e; root="$(DESTDIR)$(PREFIX)"; \
	swift package --allow-writing-to-package-directory generate-manual \
		--configuration release >/dev/null; \
	swift build $(RELEASE) --product mktopo; bin="$$(swift build $(RELEASE) --show-bin-path)"; \
	install -d "$$root/bin" "$$root/share/man/man1" "$$root/share/bash-completion/completions" \
		"$$root/share/zsh/site-functions" "$$root/share/fish/vendor_completions.d"; \
	install -m 0755 "$$bin/mktopo" "$$root/bin/mktopo"; \
	install -m 0644 .build/plugins/GenerateManual/outputs/mktopo/mktopo.1 \
		"$$root/share/man/man1/mktopo.1"; \
	"$$bin/mktopo" --generate-completion-script bash > "$$root/share/bash-completion/completions/mktopo"; \
	"$$bin/mktopo" --generate-completion-script zsh > "$$root/share/zsh/site-functions/_mktopo"; \
	"$$bin/mktopo" --generate-completion-script fish > "$$root/share/fish/vendor_completions.d/mktopo.fish"; \
	echo "installed mktopo $$("$$root/bin/mktopo" --version) under $$root"

# The end-to-end apply and reconcile suites start hundreds of processes; run beside everything else
# on a 2-core machine they would slow the tests that time a single command.
APPLY_SUITES = ApplyScenario|ApplyDrain|ApplyInstall|ApplyUpgrade|ApplyFault|ApplyRobustness|ApplyApproval|ReconcileTests|ReconcileDaemonTests|ClusterIdentityTests|ClusterFoundingTests|ApplySignal|HungRead|ChaosSmoke|QuorumWindow|HostCondition|ApplyEventStream

test: setup ## Build, then run every test (unit, golden, end-to-end)
	swift build --build-tests
	swift test --skip-build --skip '$(APPLY_SUITES)'
	swift test --skip-build --filter '$(APPLY_SUITES)'

demo: setup ## Build, validate the examples, then observe, plan and apply a simulated cluster
	swift build --product mktopo
	swift build --product microk8s-sim
	@scripts/demo.sh "$(BIN)"

# The benchmarks run mktopo built as `make release` builds it (without the commit, which
# would rebuild everything at each commit), beside a C program built from bench/.
bench: setup ## Release benchmarks: load vs bare libyaml (in process and whole processes), planning, apply, reconcile
	swift build $(OPTIMIZED) --product mktopo-bench
	swift build $(OPTIMIZED) --product microk8s-sim
	swift build $(OPTIMIZED) --product mktopo
	$$(swift build $(OPTIMIZED) --show-bin-path)/mktopo-bench

# Seeds for `make chaos`: `make chaos SEEDS=1-50`, `SEEDS=17`, `SEEDS=3,9,20-25`.
SEEDS ?= 1-1000
# More options for mktopo-chaos: `make chaos CHAOS_OPTIONS="--keep-failures chaos-failures"`.
CHAOS_OPTIONS ?=

chaos: setup ## Random worlds, files and runs on the simulator, checked against mktopo's promises
	swift build --product mktopo
	swift build --product microk8s-sim
	swift build --product mktopo-chaos
	"$(BIN)/mktopo-chaos" --seeds '$(SEEDS)' --jobs 2 $(CHAOS_OPTIONS)

fmt: ## Format tracked Swift files in place
	git ls-files -z '*.swift' | xargs -0 -r swift format format --parallel --in-place

lint: ## Fail on any formatting or lint finding
	git ls-files -z '*.swift' | xargs -0 -r swift format lint --strict --parallel

golden: setup ## Re-record golden files (the tests fail on purpose), then show what changed
	RECORD_SNAPSHOTS=1 swift test --filter Golden || true
	git diff --stat -- Tests/
	@git status --short --untracked-files=all -- Tests/ | grep '^??' || true

clean: ## Remove build products
	rm -rf .build
