package dev.darkfactory.operator.rollout;

import dev.darkfactory.operator.api.v1alpha1.Annotations;
import dev.darkfactory.operator.api.v1alpha1.Labels;
import dev.darkfactory.operator.api.v1alpha1.OwnerReferences;
import dev.darkfactory.operator.api.v1alpha1.RevisionStatus;
import dev.darkfactory.operator.api.v1alpha1.ServeSpec;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.config.PodBounds;
import dev.darkfactory.operator.util.Durations;
import dev.darkfactory.operator.workload.AppOutput;
import dev.darkfactory.operator.workload.EnvVars;
import dev.darkfactory.operator.workload.NetworkPolicies;
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
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.Map;

/**
 * The Deployment and Service that serve an intent's passing image, by digest. Pure builders: names
 * and labels are derived from the intent, so the same intent always maps to the same objects.
 */
public final class ServingResources {

    public static final String APP_CONTAINER = "app";

    private ServingResources() {}

    /** The Deployment of one revision: {@code <intent>-<revision>}. */
    public static String deploymentName(SoftwareIntent intent, String revision) {
        return intent.getMetadata().getName() + "-" + revision;
    }

    /**
     * The Service through which the candidate revision is verified: {@code <intent>-candidate},
     * selecting only that revision's pods.
     */
    public static String candidateServiceName(SoftwareIntent intent) {
        return intent.getMetadata().getName() + "-candidate";
    }

    /**
     * The NetworkPolicy of the candidate's verification pod: {@code <intent>-verifier}, egress to
     * the candidate's pods only.
     */
    public static String verifierPolicyName(SoftwareIntent intent) {
        return intent.getMetadata().getName() + "-verifier";
    }

    /**
     * The Deployment of one revision, with the intent's replicas or scaled to 0 (a kept revision).
     * Every revision runs in the production configuration: the same env, Secrets, resources, probes
     * and NetworkPolicy (which selects every revision of the intent).
     */
    public static Deployment revisionDeployment(
            SoftwareIntent intent, RevisionStatus revision, boolean active, PodBounds bounds) {
        ServeSpec serve = intent.getSpec().serveOrDefault();
        String image = revision.image;
        String run = revision.run;
        Map<String, String> selector = revisionSelector(intent, revision.revision);
        ObjectMeta metadata = owned(intent);
        metadata.setName(deploymentName(intent, revision.revision));
        metadata.setLabels(with(metadata.getLabels(), Labels.REVISION, revision.revision));
        return new DeploymentBuilder()
                .withMetadata(metadata)
                .withNewSpec()
                .withReplicas(active ? serve.replicas : 0)
                .withProgressDeadlineSeconds(
                        (int) Durations.parse(serve.rolloutTimeout).toSeconds())
                .withNewSelector()
                .withMatchLabels(selector)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(with(labels(intent), Labels.REVISION, revision.revision))
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
                                .withResources(Resources.app(serve.resources, bounds))
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

    /** The intent's Service, selecting the pods of the serving revision only. */
    public static Service service(SoftwareIntent intent, String servingRevision) {
        return service(intent, owned(intent), revisionSelector(intent, servingRevision));
    }

    /** The Service of the candidate revision, which only its verification uses. */
    public static Service candidateService(SoftwareIntent intent, String revision) {
        ObjectMeta metadata = owned(intent);
        metadata.setName(candidateServiceName(intent));
        metadata.setLabels(with(metadata.getLabels(), Labels.REVISION, revision));
        return service(intent, metadata, revisionSelector(intent, revision));
    }

    private static Service service(
            SoftwareIntent intent, ObjectMeta metadata, Map<String, String> selector) {
        ServeSpec serve = intent.getSpec().serveOrDefault();
        return new ServiceBuilder()
                .withMetadata(metadata)
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(selector)
                .addNewPort()
                .withName("http")
                .withProtocol("TCP")
                .withPort(serve.port)
                .withTargetPort(new IntOrString("http"))
                .endPort()
                .endSpec()
                .build();
    }

    /**
     * The app's NetworkPolicy: ingress on its port from where {@code spec.serve.ingressFrom} says,
     * egress only as {@code spec.serve.egress} allows (docs/security.md).
     */
    public static NetworkPolicy networkPolicy(SoftwareIntent intent) {
        ServeSpec serve = intent.getSpec().serveOrDefault();
        return NetworkPolicies.app(
                owned(intent),
                selector(intent),
                serve.port,
                serve.ingressFromOrDefault(),
                serve.egress);
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

    /** The pods of one revision of the intent. */
    public static Map<String, String> revisionSelector(SoftwareIntent intent, String revision) {
        return with(selector(intent), Labels.REVISION, revision);
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> all = new java.util.TreeMap<>(labels);
        all.put(key, value);
        return all;
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
