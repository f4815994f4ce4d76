# Two commands on a fresh clone: `make demo` and `make test`. Everything else is set up on demand.
PYTHON ?= python3.13
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit integration template bench build clean

$(STAMP): requirements-dev.txt src/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m local.demo

lint: $(STAMP)
	$(BIN)/ruff check src tests local bench
	$(BIN)/ruff format --check src tests local bench

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck template
	$(BIN)/python -m pytest

# The property tests at full strength: 10,000 generated events per property (make test runs 200).
.PHONY: fuzz
fuzz: $(STAMP)
	FUZZ_EXAMPLES=10000 $(BIN)/python -m pytest -q tests/unit/test_properties.py

# SAM CLI lives in its own venv (it pins many dependencies). Nothing here needs AWS credentials or network
# beyond PyPI: sam validate --lint and sam build run offline; the region is only a placeholder.
SAM_VERSION := 1.170.0
SAM_VENV := .venv-sam
SAM := $(SAM_VENV)/bin/sam
SAM_STAMP := $(SAM_VENV)/.installed-$(SAM_VERSION)
SAM_ENV := SAM_CLI_TELEMETRY=0 AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-us-east-1}

$(SAM_STAMP):
	$(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(SAM_VENV)/bin/python -m pip install --quiet aws-sam-cli==$(SAM_VERSION)
	touch $(SAM_STAMP)

# cfn-lint, sam validate --lint and sam build; tests/template (run by pytest) asserts on the translated template.
# sam is skipped (loudly) only where aws-sam-cli cannot be installed, and never when CI=true.
template: $(STAMP)
	@$(BIN)/python -c "import samtranslator" 2>/dev/null || { echo "ERROR: aws-sam-translator is missing from $(VENV): cfn-lint would not check the SAM transform and tests/template cannot run (pin it in requirements-dev.txt)." >&2; exit 1; }
	$(BIN)/cfn-lint template.yaml
	@if ! $(MAKE) --no-print-directory $(SAM_STAMP); then \
		if [ "$${CI:-}" = "true" ]; then \
			echo "ERROR: aws-sam-cli==$(SAM_VERSION) could not be installed into $(SAM_VENV); CI never skips sam checks." >&2; \
			exit 1; \
		fi; \
		echo "SKIPPED: sam validate --lint and sam build (aws-sam-cli==$(SAM_VERSION) could not be installed into $(SAM_VENV); no PyPI?)"; \
	else \
		echo "$(SAM_ENV) $(SAM) validate --lint --template-file template.yaml"; \
		$(SAM_ENV) $(SAM) validate --lint --template-file template.yaml || exit 1; \
		echo "$(SAM_ENV) $(SAM) build --template-file template.yaml --build-dir .aws-sam/build"; \
		$(SAM_ENV) $(SAM) build --template-file template.yaml --build-dir .aws-sam/build || exit 1; \
		$(COMPILE_BUILD) || exit 1; \
	fi

# What to deploy: sam build, then bytecode for the runtime's Python in the artifact. Lambda artifacts carry
# no .pyc otherwise, and every cold start would compile Powertools again (make bench: 140-170 ms).
# unchecked-hash: the zip's 2-second timestamps would make timestamp-checked bytecode look stale.
COMPILE_BUILD := $(BIN)/python -m compileall -q -j0 --invalidation-mode unchecked-hash .aws-sam/build/PagerDutyTriggerFunction
build: $(STAMP) $(SAM_STAMP)
	$(SAM_ENV) $(SAM) build --template-file template.yaml --build-dir .aws-sam/build
	$(COMPILE_BUILD)

# Benchmark-only dependencies (PagerDuty's own client, the warm baseline) stay out of requirements-dev.txt.
# `make bench BENCH_ARGS=--quick` is a smoke run; `--strict` exits 1 when a target is missed.
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): $(STAMP) bench/requirements.txt
	$(BIN)/python -m pip install --quiet -r bench/requirements.txt
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(SAM_VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis .aws-sam
