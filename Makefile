# The two commands a newcomer needs: `make demo` and `make test`. Both install what is missing.
SWIFT ?= swift
# System libraries the plugins and the neural engine link against (Debian package names).
DEB_PACKAGES := libzstd-dev libbrotli-dev libopenblas-dev zlib1g-dev pkg-config
# A real browser for the report rendering test (make test only).
TEST_PACKAGES := chromium
# Reference command-line tools used only to regenerate committed fixtures.
FIXTURE_TOOLS := zstd brotli gzip

# Every Swift file of the project (benchmark packages included, their build folders not).
SWIFT_SOURCES = $(shell find Package.swift Sources plugins Tests Benchmarks -name '*.swift' -not -path '*/.build*' | sort)

# Where `make install` puts the binary (PREFIX/bin) and what it reads (PREFIX/share/workbench).
PREFIX ?= $(HOME)/.local
# Which build `make install-built` copies (debug or release).
CONFIGURATION ?= release

.PHONY: demo test test-pytorch deps build release clean fixtures format lint install install-built uninstall

demo: release
	./.build/release/workbench compare --compressors ac,bpe,zstd --out reports/demo --force
	@echo "Report: reports/demo/report.html and report.md (numbers in reports/demo/results.json)"

# The test process loads OpenBLAS before any of our code runs, so it cannot re-execute itself
# onto better kernels as `workbench` does: the built workbench names the core it runs on, and
# the tests get it through OPENBLAS_CORETYPE (unless the caller set that variable).
test: deps lint
	@$(MAKE) --no-print-directory deps DEB_PACKAGES="$(TEST_PACKAGES)"
	$(SWIFT) build --build-tests
	@if [ -z "$${OPENBLAS_CORETYPE:-}" ]; then \
		core="$$("$$($(SWIFT) build --show-bin-path)/workbench" bench blas --print-core 2>/dev/null)"; \
		if [ -n "$$core" ]; then echo "OpenBLAS core for the tests: $$core"; export OPENBLAS_CORETYPE="$$core"; fi; \
	fi; \
	echo "$(SWIFT) test --skip-build"; $(SWIFT) test --skip-build

# The PyTorch trainer's tests (trainers/pytorch; not part of `make test`, which needs no Python):
# a virtual environment with the pinned CPU dependencies (requirements-cpu.txt), then pytest
# against the fixtures the workbench wrote. pip finds torch's CPU build through its configured
# find-links, or through TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu.
PYTHON ?= python3
PYTORCH_VENV ?= .venv-pytorch
TORCH_INDEX_URL ?=

$(PYTORCH_VENV)/.installed: trainers/pytorch/requirements-cpu.txt
	@$(MAKE) --no-print-directory deps DEB_PACKAGES="python3 python3-venv"
	@test -x $(PYTORCH_VENV)/bin/python || $(PYTHON) -m venv $(PYTORCH_VENV)
	$(PYTORCH_VENV)/bin/pip install --quiet $(if $(TORCH_INDEX_URL),--extra-index-url $(TORCH_INDEX_URL)) \
		-r trainers/pytorch/requirements-cpu.txt
	@touch $@

test-pytorch: $(PYTORCH_VENV)/.installed
	cd trainers/pytorch && OMP_NUM_THREADS=1 ../../$(PYTORCH_VENV)/bin/python -m pytest -q -p no:cacheprovider tests

release: deps
	$(SWIFT) build -c release --product workbench

# The binary into PREFIX/bin; the shipped corpora and the external plugins into
# PREFIX/share/workbench, where the binary looks for them (../share/workbench beside its folder).
install: release
	@$(MAKE) --no-print-directory install-built CONFIGURATION=release
	@echo "Installed $(PREFIX)/bin/workbench; make sure $(PREFIX)/bin is on your PATH."

# Copies an already-built binary (CONFIGURATION) and its shipped files; builds nothing.
install-built:
	install -d "$(PREFIX)/bin" "$(PREFIX)/share/workbench/plugins"
	install -m 755 .build/$(CONFIGURATION)/workbench "$(PREFIX)/bin/workbench"
	rm -rf "$(PREFIX)/share/workbench/corpora" "$(PREFIX)/share/workbench/plugins/external"
	cp -R corpora "$(PREFIX)/share/workbench/corpora"
	cp -R plugins/external "$(PREFIX)/share/workbench/plugins/external"

uninstall:
	rm -f "$(PREFIX)/bin/workbench"
	rm -rf "$(PREFIX)/share/workbench"

build: deps
	$(SWIFT) build

# Installs only what is missing; apt-get runs only when a package is absent.
deps:
	@missing=""; \
	for package in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

fixtures:
	@for tool in $(FIXTURE_TOOLS); do command -v $$tool >/dev/null || $(MAKE) deps DEB_PACKAGES=$$tool; done
	bash Tests/ConformanceTests/Fixtures/make_reference_fixtures.sh

# The code's layout is the toolchain's formatter's (`.swift-format`): `make format` applies it,
# `make lint` (part of `make test`) fails when a file has drifted from it.
format:
	@$(SWIFT) format format --in-place --parallel $(SWIFT_SOURCES)

lint:
	@$(SWIFT) format lint --strict --parallel $(SWIFT_SOURCES) || \
		{ echo "The files above drifted from .swift-format: run 'make format'." >&2; exit 1; }

clean:
	rm -rf .build
