package dev.darkfactory.operator.rollout;

import dev.darkfactory.operator.api.v1alpha1.Annotations;
import dev.darkfactory.operator.api.v1alpha1.Labels;
import dev.darkfactory.operator.api.v1alpha1.OwnerReferences;
import dev.darkfactory.operator.api.v1alpha1.ServeSpec;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.util.Durations;
import dev.darkfactory.operator.workload.AppOutput;
import dev.darkfactory.operator.workload.EnvVars;
import dev.darkfactory.operator.workload.PodSecurity;
import dev.darkfactory.operator.workload.Resources;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.Map;

/**
 * The Deployment and Service that serve an intent's passing image, by digest. Pure builders: names
 * and labels are derived from the intent, so the same intent always maps to the same objects.
 */
public final class ServingResources {

    public static final String APP_CONTAINER = "app";

    private ServingResources() {}

    public static Deployment deployment(SoftwareIntent intent, String image, String run) {
        ServeSpec serve = intent.getSpec().serveOrDefault();
        Map<String, String> selector = selector(intent);
        return new DeploymentBuilder()
                .withMetadata(owned(intent))
                .withNewSpec()
                .withReplicas(serve.replicas)
                .withProgressDeadlineSeconds(
                        (int) Durations.parse(serve.rolloutTimeout).toSeconds())
                .withNewSelector()
                .withMatchLabels(selector)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(labels(intent))
                .withAnnotations(Map.of(Annotations.RUN, run))
                .endMetadata()
                .withNewSpec()
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withSecurityContext(PodSecurity.pod())
                .withContainers(
                        new ContainerBuilder()
                                .withName(APP_CONTAINER)
                                .withImage(image)
                                .withImagePullPolicy("IfNotPresent")
                                .withPorts(
                                        new io.fabric8.kubernetes.api.model.ContainerPortBuilder()
                                                .withName("http")
                                                .withContainerPort(serve.port)
                                                .withProtocol("TCP")
                                                .build())
                                .withEnv(EnvVars.of(serve.env))
                                .withResources(
                                        Resources.of(
                                                serve.resources, Resources.limits("100m", "256Mi")))
                                .withReadinessProbe(probe(serve, 2, 5))
                                .withLivenessProbe(probe(serve, 10, 10))
                                .withSecurityContext(PodSecurity.container())
                                .withTerminationMessagePolicy(
                                        AppOutput.terminationMessagePolicy(
                                                serve.forwardsAppOutput()))
                                .build())
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    public static Service service(SoftwareIntent intent) {
        ServeSpec serve = intent.getSpec().serveOrDefault();
        return new ServiceBuilder()
                .withMetadata(owned(intent))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(selector(intent))
                .addNewPort()
                .withName("http")
                .withProtocol("TCP")
                .withPort(serve.port)
                .withTargetPort(new IntOrString("http"))
                .endPort()
                .endSpec()
                .build();
    }

    /** Whether a Service exposes the same ports (number, target, protocol) as the desired one. */
    public static boolean samePorts(Service actual, Service desired) {
        return portKeys(actual).equals(portKeys(desired));
    }

    private static java.util.List<String> portKeys(Service service) {
        return service.getSpec().getPorts().stream()
                .map(
                        p ->
                                p.getName()
                                        + "/"
                                        + p.getPort()
                                        + "/"
                                        + p.getTargetPort()
                                        + "/"
                                        + p.getProtocol())
                .sorted()
                .toList();
    }

    /** The in-cluster URL of the Service. */
    public static String url(SoftwareIntent intent) {
        return "http://"
                + intent.getMetadata().getName()
                + "."
                + intent.getMetadata().getNamespace()
                + ".svc:"
                + intent.getSpec().serveOrDefault().port;
    }

    public static Map<String, String> selector(SoftwareIntent intent) {
        return Map.of(Labels.APP_NAME, intent.getMetadata().getName(), Labels.ROLE, "app");
    }

    private static Map<String, String> labels(SoftwareIntent intent) {
        return Map.of(
                Labels.APP_NAME,
                intent.getMetadata().getName(),
                Labels.ROLE,
                "app",
                Labels.MANAGED_BY,
                Labels.MANAGER,
                Labels.INTENT,
                intent.getMetadata().getName());
    }

    private static Probe probe(ServeSpec serve, int initialDelay, int period) {
        return new ProbeBuilder()
                .withNewHttpGet()
                .withPath(serve.healthPath)
                .withPort(new IntOrString("http"))
                .endHttpGet()
                .withInitialDelaySeconds(initialDelay)
                .withPeriodSeconds(period)
                .withFailureThreshold(3)
                .build();
    }

    private static ObjectMeta owned(SoftwareIntent intent) {
        return new ObjectMetaBuilder()
                .withName(intent.getMetadata().getName())
                .withNamespace(intent.getMetadata().getNamespace())
                .withLabels(labels(intent))
                .withOwnerReferences(OwnerReferences.controlledBy(intent))
                .build();
    }
}
