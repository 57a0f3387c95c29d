# Provisio: `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      := .venv
PYTHON    ?= python3
LOCAL     := bin/provisio-local
# The local engine of make run, make test and make bench: moto (default), ministack or
# localstack (docs/local.md). Each is installed into its own virtual environment.
ENGINE    ?= moto
export PROVISIO_ENGINE := $(ENGINE)
GO_FLAGS  := -trimpath -ldflags='-s -w' -tags lambda.norpc
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
GOVULNCHECK := golang.org/x/vuln/cmd/govulncheck@v1.9.0

export AWS_EC2_METADATA_DISABLED := true
export SAM_CLI_TELEMETRY := 0

.PHONY: help run test test-unit portal-deps cover bench fuzz numberplan lint vuln validate sam-build build clean venv

help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/bin/moto_server: infra/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r infra/requirements.txt
	@touch $@

$(VENV)/bin/sam: infra/requirements-sam.txt | $(VENV)/bin/moto_server
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r infra/requirements-sam.txt
	@touch $@

.venv-ministack/bin/ministack: infra/requirements-ministack.txt
	$(PYTHON) -m venv .venv-ministack
	.venv-ministack/bin/pip install --quiet --disable-pip-version-check -r infra/requirements-ministack.txt
	@touch $@

# LocalStack needs Python 3.13: on PATH, or under pyenv.
PYTHON313 ?= $(firstword $(shell python3.13 -c 'import sys; print(sys.executable)' 2>/dev/null) $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13))

.venv-localstack/bin/localstack-ready: infra/requirements-localstack.txt
	@test -n "$(PYTHON313)" || { echo "ENGINE=localstack needs Python 3.13, and this machine has none: install it (pyenv install 3.13) or set PYTHON313=/path/to/python3.13"; exit 1; }
	$(PYTHON313) -m venv .venv-localstack
	.venv-localstack/bin/pip install --quiet --disable-pip-version-check -r infra/requirements-localstack.txt
	@touch $@

# The engine of ENGINE, besides moto's .venv, which sam and the tools use too.
ENGINE_BIN_moto       :=
ENGINE_BIN_ministack  := .venv-ministack/bin/ministack
ENGINE_BIN_localstack := .venv-ministack/bin/ministack .venv-localstack/bin/localstack-ready
ifeq ($(filter $(ENGINE),moto ministack localstack),)
$(error ENGINE=$(ENGINE): use moto, ministack or localstack)
endif

# moto's .venv also holds the SAM CLI: its aws-sam-translator expands the template's
# policies for the local IAM check (docs/local.md).
venv: $(VENV)/bin/moto_server $(VENV)/bin/sam $(ENGINE_BIN_$(ENGINE)) ## Install the local engine (ENGINE=moto|ministack|localstack) and the SAM CLI into venvs

$(LOCAL): $(shell find infra shared -name '*.go' -o -name '*.json' -o -name '*.tmpl') go.mod go.sum
	go build -o $@ ./infra/cmd/provisio-local

run: venv $(LOCAL) ## Run the API on http://127.0.0.1:3000 over the local engine
	$(LOCAL) serve

# The portal's browser tests check each page with axe-core (portal/package-lock.json).
PORTAL_DEPS := portal/node_modules/axe-core/axe.min.js
$(PORTAL_DEPS): portal/package-lock.json
	npm ci --prefix portal --no-audit --no-fund --loglevel=error
	@touch $@

portal-deps: $(PORTAL_DEPS) ## Install the portal's test dependencies (npm ci; Chromium comes from the system: apt-get install chromium)

# The engine suite runs past go test's default 10 minutes on a busy machine.
test: venv $(LOCAL) $(PORTAL_DEPS) ## Unit and integration tests, the portal's in headless Chromium (starts and stops its own engine)
	$(LOCAL) exec -- go test -count=1 -timeout 25m ./...

test-unit: ## Only the tests that need no engine
	go test -count=1 ./shared/... ./infra/samtemplate/ ./infra/docscheck/ ./infra/numberplan/

cover: ## Statement coverage of the unit tests, per package (docs/architecture.md)
	go test -count=1 -cover $$(go list ./shared/... | grep -v 'test$$') | grep -v 'no test files'

bench: venv $(LOCAL) ## Benchmarks: AWS calls, time and allocations per action, call-record ingest rate, every function's size and start-up against a hello world (docs/performance.md)
	$(LOCAL) exec -- go test -run '^$$' -bench . -benchmem -benchtime 20x -timeout 25m ./...

numberplan: ## Regenerate shared/phone's numbering plan tables from libphonenumber's metadata (after upgrading nyaruka/phonenumbers)
	go run ./infra/cmd/gen-numberplan

fuzz: ## Fuzz the strict JSON reader, the registration body parser, the ID-number parser and the call-record decoder, 30s each
	go test -run '^$$' -fuzz FuzzDecode -fuzztime 30s ./shared/strictjson/
	go test -run '^$$' -fuzz FuzzSubmitRegistration -fuzztime 30s ./shared/httpapi/
	go test -run '^$$' -fuzz FuzzSwedish -fuzztime 30s ./shared/personid/
	go test -run '^$$' -fuzz FuzzDecode -fuzztime 30s ./shared/calls/

lint: ## gofmt, go vet and staticcheck
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	go vet ./...
	go run $(STATICCHECK) ./...

vuln: ## Known vulnerabilities in dependencies (needs the Go vulnerability database)
	go run $(GOVULNCHECK) ./...

validate: $(VENV)/bin/sam ## sam validate --lint
	$(VENV)/bin/sam validate --lint

sam-build: $(VENV)/bin/sam ## sam build (no Docker: every function builds with the rule below)
	$(VENV)/bin/sam build --build-in-source

# sam build calls build-<LogicalId> for each function; the package is functions/<kebab-name>,
# derived from the logical ID (SubmitRegistrationFunction -> functions/submit-registration).
build-%Function:
	GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build $(GO_FLAGS) -o $(ARTIFACTS_DIR)/bootstrap \
		./functions/$$(echo '$*' | sed -E 's/([a-z0-9])([A-Z])/\1-\2/g' | tr 'A-Z' 'a-z')

build: ## Build every function for Lambda (arm64) into bin/functions/<name>/bootstrap
	@for d in functions/*/; do n=$$(basename $$d); \
		GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build $(GO_FLAGS) -o bin/functions/$$n/bootstrap ./$$d || exit 1; done

clean: ## Remove build output (keeps .venv)
	rm -rf bin .aws-sam
