package dev.darkfactory.operator.intent;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.Labels;
import dev.darkfactory.operator.api.v1alpha1.OwnerReferences;
import dev.darkfactory.operator.api.v1alpha1.RevisionStatus;
import dev.darkfactory.operator.api.v1alpha1.RolloutStatus;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.config.FactoryConfig;
import dev.darkfactory.operator.rollout.PromotionPlanner;
import dev.darkfactory.operator.rollout.PromotionPlanner.Verification;
import dev.darkfactory.operator.rollout.PromotionPlanner.VerificationResult;
import dev.darkfactory.operator.rollout.ServingResources;
import dev.darkfactory.operator.run.PodVerdict;
import dev.darkfactory.operator.run.StationPods;
import dev.darkfactory.operator.run.TesterPodReader;
import dev.darkfactory.operator.workload.NetworkPolicies;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Verifies a candidate revision in its production configuration: a verification pod (the tester of
 * the run whose image the candidate runs, with that run's visible and held-out checks, one trial)
 * sends its requests to the candidate Service {@code <intent>-candidate}, which selects only the
 * candidate's pods, by its cluster IP. A NetworkPolicy lets the pod reach those pods on the app's
 * port and nothing else. The intent owns all three: its controller decides the promotion, so the
 * verification's lifetime is the promotion's, and a superseded run cannot take it along.
 *
 * <p>Everything is found by deterministic name and the intent's UID, so a restarted operator reads
 * the verdict of the pod it made before. The pod is removed only once the status no longer names
 * its revision as the rollout, so a verdict is never lost between a decision and its status write.
 */
final class CandidateVerification {

    private static final String POD_SUFFIX = "-verify";
    private static final String FIELD_MANAGER = "darkfactory-operator";

    private final StationPods pods;

    CandidateVerification(FactoryConfig settings) {
        this.pods = new StationPods(settings);
    }

    static String podName(SoftwareIntent intent, String revision) {
        return intent.getMetadata().getName() + "-" + revision + POD_SUFFIX;
    }

    /** What the verification of the rollout in the intent's status says. */
    VerificationResult read(SoftwareIntent intent, Context<SoftwareIntent> context) {
        RolloutStatus rollout = intent.getStatus() == null ? null : intent.getStatus().rollout;
        if (rollout == null || rollout.revision == null || rollout.rollingBack()) {
            return VerificationResult.NONE;
        }
        Optional<Pod> pod = pod(intent, podName(intent, rollout.revision), context);
        if (pod.isEmpty()) {
            return run(context, rollout.run) == null
                    ? new VerificationResult(
                            Verification.FAILED,
                            "run "
                                    + rollout.run
                                    + " and its checks are gone, so nothing can verify it")
                    : VerificationResult.NONE;
        }
        Optional<PodVerdict> verdict = TesterPodReader.read(pod.get());
        if (verdict.isEmpty()) {
            return new VerificationResult(Verification.RUNNING, null);
        }
        // The reader keeps held-out results as counts: no held-out text reaches the message.
        return verdict.get().passed()
                ? new VerificationResult(Verification.PASSED, verdict.get().message())
                : new VerificationResult(
                        Verification.FAILED,
                        verdict.get().reason() + ": " + verdict.get().message());
    }

    /**
     * Makes what the plan's verification needs (the candidate Service, the policy, the pod), and
     * removes what no verification needs any more.
     */
    void reconcile(
            SoftwareIntent intent, PromotionPlanner.Plan plan, Context<SoftwareIntent> context) {
        RevisionStatus candidate = plan.verify();
        RolloutStatus before = intent.getStatus() == null ? null : intent.getStatus().rollout;
        Set<String> wanted = new HashSet<>();
        if (candidate != null) {
            wanted.add(podName(intent, candidate.revision));
        }
        if (before != null && before.revision != null) {
            wanted.add(podName(intent, before.revision));
        }
        removeOthers(intent, wanted, candidate != null || plan.rollout() != null, context);
        if (candidate == null) {
            return;
        }
        FactoryRun run = run(context, candidate.run);
        if (run == null) {
            return; // read() reports it as a failed verification
        }
        KubernetesClient client = context.getClient();
        client.resource(policy(intent, candidate.revision))
                .fieldManager(FIELD_MANAGER)
                .forceConflicts()
                .serverSideApply();
        Service service =
                client.resource(ServingResources.candidateService(intent, candidate.revision))
                        .fieldManager(FIELD_MANAGER)
                        .forceConflicts()
                        .serverSideApply();
        String name = podName(intent, candidate.revision);
        Optional<Pod> existing = pod(intent, name, context);
        if (existing.isPresent() && lostToInfrastructure(existing.get())) {
            // Evicted or lost with its node before its tester reported: never the candidate's
            // fault, so not a verdict; a new pod of the same name verifies it once this one is
            // gone.
            client.resource(existing.get()).delete();
            return;
        }
        if (existing.isPresent()) {
            return;
        }
        // By cluster IP: a cluster without DNS still routes it, and it selects the candidate only.
        String url =
                "http://"
                        + service.getSpec().getClusterIP()
                        + ":"
                        + intent.getSpec().serveOrDefault().port;
        create(
                client,
                pods.verifierPod(run, metadata(intent, name, candidate.revision), url),
                intent);
    }

    private void removeOthers(
            SoftwareIntent intent,
            Set<String> wantedPods,
            boolean candidateServiceWanted,
            Context<SoftwareIntent> context) {
        KubernetesClient client = context.getClient();
        context.getSecondaryResourcesAsStream(Pod.class)
                .filter(p -> OwnerReferences.isControlledBy(p, intent))
                .filter(p -> !wantedPods.contains(p.getMetadata().getName()))
                .forEach(p -> client.resource(p).delete());
        if (candidateServiceWanted) {
            return;
        }
        context.getSecondaryResourcesAsStream(Service.class)
                .filter(s -> OwnerReferences.isControlledBy(s, intent))
                .filter(
                        s ->
                                s.getMetadata()
                                        .getName()
                                        .equals(ServingResources.candidateServiceName(intent)))
                .forEach(s -> client.resource(s).delete());
        context.getSecondaryResourcesAsStream(NetworkPolicy.class)
                .filter(p -> OwnerReferences.isControlledBy(p, intent))
                .filter(
                        p ->
                                p.getMetadata()
                                        .getName()
                                        .equals(ServingResources.verifierPolicyName(intent)))
                .forEach(p -> client.resource(p).delete());
    }

    private static boolean lostToInfrastructure(Pod pod) {
        return pod.getStatus() != null
                && "Failed".equals(pod.getStatus().getPhase())
                && TesterPodReader.read(pod).isEmpty();
    }

    /** Creates the pod; one that exists is used only when the intent controls it. */
    private static void create(KubernetesClient client, Pod pod, SoftwareIntent intent) {
        try {
            client.resource(pod).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            Pod existing = client.resource(pod).get();
            if (existing != null && !OwnerReferences.isControlledBy(existing, intent)) {
                throw new IllegalStateException(
                        "Pod "
                                + pod.getMetadata().getNamespace()
                                + "/"
                                + pod.getMetadata().getName()
                                + " exists but is not controlled by this SoftwareIntent (UID "
                                + intent.getMetadata().getUid()
                                + "); the candidate is not verified, so it is not promoted");
            }
        }
    }

    private static Optional<Pod> pod(
            SoftwareIntent intent, String name, Context<SoftwareIntent> context) {
        return context.getSecondaryResourcesAsStream(Pod.class)
                .filter(p -> p.getMetadata().getName().equals(name))
                .filter(p -> OwnerReferences.isControlledBy(p, intent))
                .findFirst();
    }

    private static FactoryRun run(Context<SoftwareIntent> context, String name) {
        return context.getSecondaryResourcesAsStream(FactoryRun.class)
                .filter(r -> r.getMetadata().getName().equals(name))
                .findFirst()
                .orElse(null);
    }

    private static NetworkPolicy policy(SoftwareIntent intent, String revision) {
        return NetworkPolicies.verifier(
                new ObjectMetaBuilder()
                        .withName(ServingResources.verifierPolicyName(intent))
                        .withNamespace(intent.getMetadata().getNamespace())
                        .withLabels(labels(intent, null))
                        .withOwnerReferences(OwnerReferences.controlledBy(intent))
                        .build(),
                Map.of(Labels.ROLE, Labels.VERIFIER, Labels.INTENT, intent.getMetadata().getName()),
                ServingResources.revisionSelector(intent, revision),
                intent.getSpec().serveOrDefault().port);
    }

    private static ObjectMeta metadata(SoftwareIntent intent, String name, String revision) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(intent.getMetadata().getNamespace())
                .withLabels(labels(intent, revision))
                .withOwnerReferences(OwnerReferences.controlledBy(intent))
                .build();
    }

    private static Map<String, String> labels(SoftwareIntent intent, String revision) {
        Map<String, String> labels = new TreeMap<>(Labels.managed());
        labels.put(Labels.INTENT, intent.getMetadata().getName());
        labels.put(Labels.ROLE, Labels.VERIFIER);
        if (revision != null) {
            labels.put(Labels.REVISION, revision);
        }
        return labels;
    }
}
