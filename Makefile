# Repère – build, run, test and measure.
# The offline geography snapshot is used when present beside the project
# (../shared/geodata, as in CI); otherwise the live geo.api.gouv.fr.
SHARED     ?= $(abspath ../shared)
GEO_SOURCE ?= $(if $(wildcard $(SHARED)/geodata/communes.json),$(SHARED)/geodata,https://geo.api.gouv.fr)
BIN        := bin/repere
BENCH_BIN  := bin/repere-bench
GO         ?= go

export REPERE_SHARED_DIR := $(SHARED)

.PHONY: bench-engine test-browser-load build build-bench run run-reel test vet sizes bench bench-caches bench-foundation bench-prepare bench-search bench-ui bench-import bench-observatory image image-test clean assets relevance bench-alerts bench-opendata bench-scale bench-instances

build: assets
	$(GO) build -o $(BIN) ./cmd/repere

# The measuring commands are a binary of their own, not part of what is deployed.
build-bench: assets
	$(GO) build -o $(BENCH_BIN) ./cmd/repere-bench

## run: build and start the site on http://localhost:8080 with demo data on the embedded store
run: build
	REPERE_DEMO=true REPERE_DEV_MAILBOX=true REPERE_GEO_SOURCE=$(GEO_SOURCE) ./$(BIN) serve

## run-reel: import the real files of ../shared/realdata into ./data-reel (a sync when run again), then serve them
REEL_DIR ?= ./data-reel
REALDATA := $(SHARED)/realdata
run-reel: build
	REPERE_DATA_DIR=$(REEL_DIR) REPERE_GEO_SOURCE=$(GEO_SOURCE) ./$(BIN) import datainclusion -dir $(REALDATA)/gip-inclusion-fluo-proto -rejets 10
	REPERE_DATA_DIR=$(REEL_DIR) REPERE_GEO_SOURCE=$(GEO_SOURCE) ./$(BIN) import datainclusion -dir $(REALDATA)/gip-inclusion-offre-inclusion -rejets 10
	REPERE_DATA_DIR=$(REEL_DIR) REPERE_GEO_SOURCE=$(GEO_SOURCE) ./$(BIN) import france-services $(REALDATA)/anct-carto-france_services/liste-fs-20240801.csv -rejets 10
	REPERE_DATA_DIR=$(REEL_DIR) REPERE_GEO_SOURCE=$(GEO_SOURCE) ./$(BIN) serve

## test: every test, under the race detector
test: assets vet sizes
	$(GO) test -race -count=1 -timeout 45m ./...

# The browser tests with two busy loops beside them: they wait for the
# state they check, so a loaded machine must not make them fail.
test-browser-load: assets
	@for i in 1 2; do (while :; do :; done) & done; \
	trap 'kill $$(jobs -p) 2>/dev/null' EXIT; \
	$(GO) test -race -count=1 -timeout 30m -run 'Browser' ./internal/ui

# No tracked file over 1 MB: binaries and data sets stay out of the repository.
sizes:
	@big=$$(git ls-files -z | xargs -0 -r stat -c '%s %n' 2>/dev/null | awk '$$1 > 1048576'); \
	test -z "$$big" || { echo "tracked files over 1 MB:"; echo "$$big"; exit 1; }

## relevance: nDCG@10, P@10 and zero-result share of the judged queries (indexer/relevance/testdata) per family; fails below the floors
relevance:
	$(GO) test ./indexer/relevance -run '^TestRelevance$$' -count=1 -v

vet:
	@test -z "$$(gofmt -l cmd internal indexer seed web)" || { gofmt -l cmd internal indexer seed web; echo "gofmt needed"; exit 1; }
	$(GO) vet ./...

## bench: every figure the issues ask for (100k demo services on the embedded store)
bench: bench-foundation bench-engine bench-search bench-ui bench-import bench-caches bench-observatory bench-alerts bench-opendata bench-instances

## bench-foundation: geography import, 100k demo services insert, get-by-id and update latencies, peak RSS
bench-foundation: build-bench
	REPERE_GEO_SOURCE=$(GEO_SOURCE) ./$(BENCH_BIN) foundation -n 100000

# The search and page benchmarks share one prepared data directory (store +
# index of 100k demo services), made once: delete it to start over.
BENCH_DIR ?= /tmp/repere-bench-100k

## bench-engine: the search engine alone, in process (no store, no HTTP): latencies of the query kinds over ENGINE_N demo services
## (100k; ENGINE_N=1000000 for ten times France), the index kept in ENGINE_DIR; ENGINE_PROFILE=file writes a CPU profile (go tool pprof -top)
ENGINE_N       ?= 100000
ENGINE_DIR     ?= /tmp/repere-bench-engine-$(ENGINE_N)
ENGINE_PROFILE ?=
bench-engine:
	mkdir -p $(ENGINE_DIR)
	cd indexer && REPERE_BENCH_SERVICES=$(ENGINE_N) REPERE_BENCH_INDEX=$(ENGINE_DIR) $(GO) test -run '^$$' \
	  -bench 'BenchmarkSearch(CommuneThematique|TextCommuneFilters|TextFrance|BesoinFrance|CommuneOnly)$$' -benchtime 1000x -count 3 \
	  $(if $(ENGINE_PROFILE),-cpuprofile $(ENGINE_PROFILE) -o $(ENGINE_DIR)/indexer.test) .

## bench-prepare: the shared 100k dataset, and the index build time and size
bench-prepare: build-bench
	REPERE_GEO_SOURCE=$(GEO_SOURCE) REPERE_DATA_DIR=$(BENCH_DIR) ./$(BENCH_BIN) prepare -n 100000

## bench-search: search latencies, publish-to-searchable, JSON API under 8 clients, serving RSS
bench-search: bench-prepare
	REPERE_GEO_SOURCE=$(GEO_SOURCE) REPERE_DATA_DIR=$(BENCH_DIR) ./$(BENCH_BIN) search

## bench-observatory: coverage of every commune × thématique/besoin at 100k services (time, memory), the observatory page of a département (p50)
bench-observatory: bench-prepare
	REPERE_GEO_SOURCE=$(GEO_SOURCE) REPERE_DATA_DIR=$(BENCH_DIR) ./$(BENCH_BIN) observatory
## bench-opendata: /api/v1/services pages of 1,000, CSV of a 5,000-result search, the whole offer exported (time, peak RSS)
bench-opendata: bench-prepare
	REPERE_GEO_SOURCE=$(GEO_SOURCE) REPERE_DATA_DIR=$(BENCH_DIR) ./$(BENCH_BIN) opendata

## bench-instances: two and three server processes on the prepared 100k store: start on an existing index, publication → visible lag, reads spread
bench-instances: bench-prepare build
	REPERE_GEO_SOURCE=$(GEO_SOURCE) REPERE_DATA_DIR=$(BENCH_DIR) REPERE_LOG_LEVEL=warn ./$(BENCH_BIN) instances -instances 2 -bin $(BIN)
	REPERE_GEO_SOURCE=$(GEO_SOURCE) REPERE_DATA_DIR=$(BENCH_DIR) REPERE_LOG_LEVEL=warn ./$(BENCH_BIN) instances -instances 3 -bin $(BIN)

# Ten times France. The store is filled once (about 10 min); the index is
# built again on every run, as that is one of the figures.
BENCH_SCALE_DIR ?= /tmp/repere-bench-1m

## bench-scale: 1,000,000 demo services: index build and size, the bench-search mix and memory, the observatory's coverage, two and three server processes on the store
bench-scale: build-bench build
	REPERE_GEO_SOURCE=$(GEO_SOURCE) REPERE_DATA_DIR=$(BENCH_SCALE_DIR) ./$(BENCH_BIN) prepare -n 1000000
	REPERE_GEO_SOURCE=$(GEO_SOURCE) REPERE_DATA_DIR=$(BENCH_SCALE_DIR) ./$(BENCH_BIN) search -queries 300
	REPERE_GEO_SOURCE=$(GEO_SOURCE) REPERE_DATA_DIR=$(BENCH_SCALE_DIR) ./$(BENCH_BIN) observatory
	REPERE_GEO_SOURCE=$(GEO_SOURCE) REPERE_DATA_DIR=$(BENCH_SCALE_DIR) REPERE_LOG_LEVEL=warn ./$(BENCH_BIN) instances -instances 2 -bin $(BIN)
	REPERE_GEO_SOURCE=$(GEO_SOURCE) REPERE_DATA_DIR=$(BENCH_SCALE_DIR) REPERE_LOG_LEVEL=warn ./$(BENCH_BIN) instances -instances 3 -bin $(BIN)

## bench-import: 100k data·inclusion services into an empty store (time, peak RSS), the same again (0 writes), the three real files
bench-import: build-bench
	REPERE_GEO_SOURCE=$(GEO_SOURCE) ./$(BENCH_BIN) import -n 100000 -bench-dir $(BENCH_IMPORT_DIR) $(BENCH_IMPORT_FLAGS)

BENCH_IMPORT_DIR ?= /tmp/repere-bench-import
# e.g. BENCH_IMPORT_FLAGS=-cpuprofile=/tmp/import.prof (profiles of the import and of the re-import)
BENCH_IMPORT_FLAGS ?=

## bench-caches: resident memory after 10,000 distinct feeds and 10,000 distinct hours previews (demo data, made once)
CACHES_DIR ?= /tmp/repere-bench-caches
bench-caches: build-bench
	REPERE_GEO_SOURCE=$(GEO_SOURCE) REPERE_DATA_DIR=$(CACHES_DIR) REPERE_DEMO=true REPERE_LOG_LEVEL=warn ./$(BENCH_BIN) caches -n 10000

## bench-alerts: computing and queueing the weekly alerts of 10,000 saved searches over the prepared services
bench-alerts: bench-prepare
	REPERE_GEO_SOURCE=$(GEO_SOURCE) REPERE_DATA_DIR=$(BENCH_DIR) ./$(BENCH_BIN) alerts -alerts 10000

## bench-ui: page server times and the results page under 8 clients
bench-ui: bench-prepare
	REPERE_BENCH_DATA=$(BENCH_DIR) $(GO) test ./internal/ui -run '^$$' -bench . -benchtime 3s

## assets: npm packages of the site (DSFR, Leaflet) copied into web/static/vendor, which the binary embeds
VENDOR := web/static/vendor
DSFR   := node_modules/@gouvfr/dsfr/dist
assets: $(VENDOR)/.stamp

$(VENDOR)/.stamp: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	rm -rf $(VENDOR)/dsfr $(VENDOR)/leaflet
	mkdir -p $(VENDOR)/dsfr $(VENDOR)/leaflet
	cp $(DSFR)/dsfr.min.css $(DSFR)/dsfr.module.min.js $(DSFR)/dsfr.nomodule.min.js $(VENDOR)/dsfr/
	cp -r $(DSFR)/fonts $(DSFR)/icons $(DSFR)/favicon $(VENDOR)/dsfr/
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css $(VENDOR)/leaflet/
	cp -r node_modules/leaflet/dist/images $(VENDOR)/leaflet/
	cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js node_modules/leaflet.markercluster/dist/MarkerCluster.css \
	   node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css $(VENDOR)/leaflet/
	touch $@

## image: the production image without a registry (Debian's buildah): the static binary of
## make build and the CA certificates on an empty base, as the Dockerfile's last stage
IMAGE  ?= localhost/repere:dev
ROOTFS := bin/rootfs
image:
	CGO_ENABLED=0 GOFLAGS=-trimpath $(MAKE) build
	rm -rf $(ROOTFS) && mkdir -p $(ROOTFS)/var/lib/repere $(ROOTFS)/tmp $(ROOTFS)/etc/ssl/certs
	cp $(BIN) $(ROOTFS)/repere && cp /etc/ssl/certs/ca-certificates.crt $(ROOTFS)/etc/ssl/certs/
	chmod 1777 $(ROOTFS)/tmp
	ctr=$$(buildah from scratch) && buildah copy --chown 65532:65532 $$ctr $(ROOTFS)/var/lib/repere /var/lib/repere >/dev/null \
	 && buildah copy $$ctr $(ROOTFS)/repere /repere >/dev/null && buildah copy $$ctr $(ROOTFS)/etc /etc >/dev/null \
	 && buildah copy $$ctr $(ROOTFS)/tmp /tmp >/dev/null \
	 && buildah config --user 65532:65532 --env REPERE_DATA_DIR=/var/lib/repere --env REPERE_ADDR=:8080 --port 8080 \
	    --entrypoint '["/repere"]' --cmd serve $$ctr && buildah commit --rm $$ctr $(IMAGE)

## image-test: start that image (podman, host network) on demo data and fetch a page and its stylesheet
IMAGE_PORT ?= 8111
image-test: image
	podman rm -f repere-image-test >/dev/null 2>&1 || true
	podman run -d --name repere-image-test --network host --ulimit host -v $(SHARED)/geodata:/geodata:ro \
	  -e REPERE_ADDR=127.0.0.1:$(IMAGE_PORT) -e REPERE_GEO_SOURCE=/geodata -e REPERE_DEMO=true -e REPERE_DEMO_SERVICES=200 $(IMAGE)
	ok=; for i in $$(seq 1 300); do curl -fsS -o /dev/null http://127.0.0.1:$(IMAGE_PORT)/healthz && ok=1 && break; sleep 2; done; \
	test -n "$$ok" || { podman logs repere-image-test | tail -20; podman rm -f repere-image-test; exit 1; }
	css=$$(curl -fsS http://127.0.0.1:$(IMAGE_PORT)/ | grep -o '/static/[^"]*dsfr.min.css' | head -1) && test -n "$$css" \
	 && curl -fsS http://127.0.0.1:$(IMAGE_PORT)$$css | head -c 200 | grep -q '@charset\|:root\|{' \
	 && echo "image: page and $$css served"; rc=$$?; podman rm -f repere-image-test >/dev/null; exit $$rc

clean:
	rm -rf bin
