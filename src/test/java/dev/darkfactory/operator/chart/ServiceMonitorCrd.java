package dev.darkfactory.operator.chart;

import static org.awaitility.Awaitility.await;

import dev.darkfactory.operator.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;

/**
 * The Prometheus Operator's ServiceMonitor kind, which a bare API server lacks, reduced to the
 * fields the chart sets, with their types; enough for a dry-run to reject a malformed
 * ServiceMonitor, though not every rule of the real CRD.
 */
final class ServiceMonitorCrd {

    private static final String NAME = "servicemonitors.monitoring.coreos.com";
    private static final String YAML =
            """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: servicemonitors.monitoring.coreos.com
            spec:
              group: monitoring.coreos.com
              scope: Namespaced
              names: {kind: ServiceMonitor, listKind: ServiceMonitorList, plural: servicemonitors, singular: servicemonitor}
              versions:
                - name: v1
                  served: true
                  storage: true
                  schema:
                    openAPIV3Schema:
                      type: object
                      properties:
                        spec:
                          type: object
                          required: [selector, endpoints]
                          properties:
                            selector:
                              type: object
                              properties:
                                matchLabels: {type: object, additionalProperties: {type: string}}
                            namespaceSelector:
                              type: object
                              properties:
                                matchNames: {type: array, items: {type: string}}
                            endpoints:
                              type: array
                              items:
                                type: object
                                properties:
                                  port: {type: string}
                                  path: {type: string}
                                  interval: {type: string, pattern: '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$'}
            """;

    private ServiceMonitorCrd() {}

    static synchronized void install(KubernetesClient client) {
        var crds = client.apiextensions().v1().customResourceDefinitions();
        if (crds.withName(NAME).get() == null) {
            crds.resource(Serialization.unmarshal(YAML, CustomResourceDefinition.class)).create();
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> TestApiServer.established(crds.withName(NAME).get()));
    }
}
