# Repère – build, run, test and measure.
# The offline geography snapshot is used when present beside the project
# (../shared/geodata, as in CI); otherwise the live geo.api.gouv.fr.
SHARED     ?= $(abspath ../shared)
GEO_SOURCE ?= $(if $(wildcard $(SHARED)/geodata/communes.json),$(SHARED)/geodata,https://geo.api.gouv.fr)
BIN        := bin/repere
GO         ?= go

export REPERE_SHARED_DIR := $(SHARED)

.PHONY: build run test vet bench bench-foundation clean

build:
	$(GO) build -o $(BIN) ./cmd/repere

## run: build and start the site on http://localhost:8080 with demo data on the embedded store
run: build
	REPERE_DEMO=true REPERE_GEO_SOURCE=$(GEO_SOURCE) ./$(BIN) serve

## test: every test
test: vet
	$(GO) test -count=1 -timeout 30m ./...

vet:
	@test -z "$$(gofmt -l cmd internal indexer seed web)" || { gofmt -l cmd internal indexer seed web; echo "gofmt needed"; exit 1; }
	$(GO) vet ./...

## bench: every figure the issues ask for
bench: bench-foundation

## bench-foundation: geography import, 100k demo services insert, get-by-id and update latencies, peak RSS
bench-foundation: build
	REPERE_GEO_SOURCE=$(GEO_SOURCE) ./$(BIN) bench foundation -n 100000

clean:
	rm -rf bin
