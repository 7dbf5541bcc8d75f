# A thin front door: everything delegates to Maven (and, later, Helm).
MVN ?= mvn -B

.PHONY: run test crds build image bench-stations clean

## run: the operator in Quarkus dev mode against the current kube context (applies the CRDs)
run:
	$(MVN) quarkus:dev

## test: unit tests and the tests against a real API server
test:
	$(MVN) verify

## crds: regenerate crds/ from the Java model
crds:
	$(MVN) -q process-classes
	for f in target/crds/*-v1.yml; do cp "$$f" "crds/$$(basename "$$f" -v1.yml).yaml"; done

## build: the operator jar, without tests
build:
	$(MVN) package -DskipTests

## bench-stations: station start time and build-and-push of a 20 MB layer to a loopback registry
bench-stations: build
	cp src/main/jib/deployments/station target/quarkus-app/station
	$(MVN) -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
	java -cp "target/test-classes:target/classes:$$(cat target/bench-classpath.txt)" \
		dev.darkfactory.operator.station.bench.StationBenchmark target/quarkus-app/station

clean:
	$(MVN) -q clean
