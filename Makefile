# A thin front door: everything delegates to Maven (and, later, Helm).
MVN ?= mvn -B

.PHONY: run test e2e kind demo demo-clean shellcheck crds build image jvm-base bench-stations bench bench-gateway fmt clean

## run: the operator in Quarkus dev mode against the current kube context (applies the CRDs)
run:
	$(MVN) quarkus:dev

## test: unit tests and the tests against a real API server; after a failure it prints what the
##   failed API-server tests saw (target/test-diagnostics/: operator threads, then the namespace)
test:
	rm -rf target/test-diagnostics
	$(MVN) test || { for f in target/test-diagnostics/*.txt; do [ -f "$$f" ] && tail -n 80 "$$f"; done; exit 1; }

## e2e: the packaged operator: hack/e2e-prepare.sh builds it (and the images, and starts the
##   registry the suite needs), then the process tests run it against a real API server, and the
##   end-to-end suite runs against the current kube context (skipped with a message when none
##   answers); after a failure it prints a summary of the cluster (target/e2e-diagnostics/)
e2e:
	rm -f target/e2e-diagnostics/summary.txt
	hack/e2e-prepare.sh
	$(MVN) test -Dtest='EndToEndIT,ShutdownProcessTest' -Dsurefire.failIfNoSpecifiedTests=false \
		|| { tail -n 40 target/e2e-diagnostics/summary.txt 2>/dev/null; exit 1; }

## kind: a Kind cluster with a local registry, the operator image loaded and the chart installed
##   (needs docker, kind, kubectl and helm, and the internet); then make e2e runs against it
kind:
	hack/kind.sh

## demo: from a machine with Docker to a served app: a Kind cluster (or the current kube context with
##   DEMO_USE_CURRENT_CONTEXT=1), a registry, the operator built and installed by the chart, a model
##   (OPENAI_API_KEY/DARKFACTORY_MODEL_URL, else the built-in demo model), examples/todo-rest-api.yaml
##   applied and followed step by step until the app answers
demo:
	hack/demo.sh up

## demo-clean: removes what make demo made (the Kind cluster, or the release, namespaces and CRDs)
demo-clean:
	hack/demo.sh clean

## fmt: format the Java sources (google-java-format, AOSP style); make test fails on unformatted code
fmt:
	$(MVN) -q spotless:apply

## shellcheck: lint the scripts under hack/ and .ci/
shellcheck:
	shellcheck hack/*.sh .ci/run

## crds: regenerate crds/ and the chart's copy from the Java model
crds:
	$(MVN) -q process-classes
	for f in target/crds/*-v1.yml; do cp "$$f" "crds/$$(basename "$$f" -v1.yml).yaml"; done
	rm -f helm/darkfactory/crds/*.yaml && cp crds/*.yaml helm/darkfactory/crds/

## build: the operator jar, without tests
build:
	$(MVN) package -DskipTests

## image: the operator image (stations included) with Quarkus' Jib, pushed to IMAGE's registry
##   IMAGE_PUSH=false loads it into the local Docker engine instead; BASE_JVM_IMAGE overrides the
##   base (default: Quarkus' ubi9 OpenJDK 17 runtime), e.g. tar://$(CURDIR)/target/jvm-base.tar
IMAGE ?= darkfactory/operator:latest
IMAGE_PUSH ?= true
IMAGE_INSECURE ?= false
BASE_JVM_IMAGE ?=
image:
	$(MVN) package -DskipTests -Dquarkus.container-image.build=true \
		-Dquarkus.container-image.image=$(IMAGE) \
		-Dquarkus.container-image.push=$(IMAGE_PUSH) \
		-Dquarkus.container-image.insecure=$(IMAGE_INSECURE) \
		$(if $(BASE_JVM_IMAGE),-Dquarkus.jib.base-jvm-image=$(BASE_JVM_IMAGE))

## jvm-base: a JVM base image as a docker-save tar, from Debian's packages (needs root), for
##   machines that cannot pull one: make image BASE_JVM_IMAGE=tar://$(CURDIR)/target/jvm-base.tar
jvm-base:
	hack/jvm-base-image.sh target/jvm-base.tar

## bench-stations: station start time and build-and-push of a 20 MB layer to a loopback registry
bench-stations: build
	cp src/main/jib/deployments/station target/quarkus-app/station
	$(MVN) -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
	java -cp "target/test-classes:target/classes:$$(cat target/bench-classpath.txt)" \
		dev.darkfactory.operator.station.bench.StationBenchmark target/quarkus-app/station

## bench-gateway: the model gateway's added latency per call and its throughput on loopback (docs/gateway.md)
bench-gateway:
	$(MVN) -q test-compile
	$(MVN) -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
	java -cp "target/test-classes:target/classes:$$(cat target/bench-classpath.txt)" \
		dev.darkfactory.operator.gateway.GatewayBenchmark
## bench: the packaged operator as a process against kube-api-test's API server (no kubelet):
##   BENCH_INTENTS intents at once (default 1000) and more at 10/s, then one table of latencies,
##   writes per intent, CPU, memory, /q/metrics size, idle writes, SIGTERM and restart times,
##   and what a queue of BENCH_QUEUED intents (default BENCH_INTENTS, 0 skips it) under a cap of
##   two costs while nothing changes.
##   BENCH_INTENTS=200 for a quick run; BENCH_JAR=<other build>/target/quarkus-app/quarkus-run.jar
##   to measure another build. Figures: docs/performance.md
bench: build
	$(MVN) -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
	java -cp "target/test-classes:target/classes:$$(cat target/bench-classpath.txt)" \
		dev.darkfactory.operator.bench.OperatorBenchmark

clean:
	$(MVN) -q clean
