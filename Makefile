# A thin front door: everything delegates to Maven (and, later, Helm).
MVN ?= mvn -B

.PHONY: run test crds build clean

## run: the operator in Quarkus dev mode against the current kube context (applies the CRDs)
run:
	$(MVN) quarkus:dev

## test: unit tests and the tests against a real API server
test:
	$(MVN) verify

## crds: regenerate crds/ and the chart's copy from the Java model
crds:
	$(MVN) -q process-classes
	for f in target/crds/*-v1.yml; do cp "$$f" "crds/$$(basename "$$f" -v1.yml).yaml"; done
	rm -f helm/darkfactory/crds/*.yaml && cp crds/*.yaml helm/darkfactory/crds/

## build: the operator jar, without tests
build:
	$(MVN) package -DskipTests

clean:
	$(MVN) -q clean
