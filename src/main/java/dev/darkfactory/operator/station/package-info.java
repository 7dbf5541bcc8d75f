/**
 * The stations: the sub-commands of {@code /deployments/station} that run in the pods of an attempt
 * (prepare, generate-openai, build, report in the generator pod; test in the tester pod). They are
 * plain Java started by {@link dev.darkfactory.operator.station.StationMain}, never Quarkus, and
 * need no Kubernetes API: they read environment variables and the files of the contract
 * (docs/station-contract.md) and leave their outcome in the termination message. Each station has a
 * subpackage; {@code registry} is what prepare and build share.
 */
package dev.darkfactory.operator.station;
