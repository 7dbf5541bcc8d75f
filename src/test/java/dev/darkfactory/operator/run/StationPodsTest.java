package dev.darkfactory.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.EnvVar;
import dev.darkfactory.operator.api.v1alpha1.SecretKeySelector;
import dev.darkfactory.operator.api.v1alpha1.ServeSpec;
import dev.darkfactory.operator.contract.Redactor;
import dev.darkfactory.operator.testing.FactoryConfigs;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StationPodsTest {

    private final StationPods pods = new StationPods(FactoryConfigs.defaults());

    @Test
    void generatorPodRunsTheStationsInOrderOnOneWorkspace() {
        Pod pod = pods.generatorPod(RunFixtures.run(3), 2);

        assertThat(pod.getMetadata().getName()).isEqualTo("todo-g1-abcdef-a2-gen");
        assertThat(pod.getSpec().getInitContainers())
                .extracting(Container::getName)
                .containsExactly("prepare", "generate", "build");
        assertThat(pod.getSpec().getContainers())
                .extracting(Container::getName)
                .containsExactly("report");
        assertThat(pod.getSpec().getInitContainers().get(1).getImage())
                .isEqualTo("darkfactory/operator:test");
        assertThat(pod.getSpec().getInitContainers().get(0).getCommand())
                .containsExactly("/deployments/station", "prepare");
        assertThat(pod.getSpec().getVolumes())
                .extracting(v -> v.getName())
                .containsExactly("workspace", "input");
        assertThat(pod.getSpec().getVolumes().get(1).getConfigMap().getName())
                .isEqualTo("todo-g1-abcdef-a2-input");
        assertThat(pod.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(
                        o -> {
                            assertThat(o.getKind()).isEqualTo("FactoryRun");
                            assertThat(o.getController()).isTrue();
                        });
        assertRestricted(pod.getSpec());
    }

    @Test
    void stationPodsAreNotToldTheClustersServicesAndCarryNoToken() {
        var run = RunFixtures.run(3);
        for (Pod pod : List.of(pods.generatorPod(run, 1), pods.testerPod(run, passed(run)))) {
            assertThat(pod.getSpec().getEnableServiceLinks()).isFalse();
            assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
        }
    }

    @Test
    void theGeneratorPodCarriesTheLabelsItsNetworkPoliciesSelect() {
        var run = RunFixtures.run(3);
        Pod without = pods.generatorPod(run, 1);
        assertThat(without.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/managed-by", "darkfactory-operator")
                .containsEntry("darkfactory.dev/role", "generator")
                .doesNotContainKey("darkfactory.dev/egress");

        var egress =
                List.of(
                        new dev.darkfactory.operator.api.v1alpha1.EgressRule(
                                "203.0.113.0/24", null, null));
        run.getSpec().generator.spec.egress = egress;
        assertThat(pods.generatorPod(run, 1).getMetadata().getLabels())
                .containsEntry(
                        "darkfactory.dev/egress",
                        dev.darkfactory.operator.workload.NetworkPolicies.egressDigest(egress));
        assertThat(pods.testerPod(run, passed(run)).getMetadata().getLabels())
                .containsEntry("darkfactory.dev/role", "tester");
    }

    @Test
    void theGeneratorPodRunsInTheClassesRuntimeClass() {
        var run = RunFixtures.run(3);
        assertThat(pods.generatorPod(run, 1).getSpec().getRuntimeClassName()).isNull();
        run.getSpec().generator.spec.runtimeClassName = "gvisor";
        assertThat(pods.generatorPod(run, 1).getSpec().getRuntimeClassName()).isEqualTo("gvisor");
        assertThat(pods.testerPod(run, passed(run)).getSpec().getRuntimeClassName())
                .as("only the generator pod runs the class's sandbox")
                .isNull();
    }

    @Test
    void theGenerateStepGetsTheShorterOfTheClassAndAttemptDeadlines() {
        var run = RunFixtures.run(3);
        Container withoutClassTimeout =
                pods.generatorPod(run, 1).getSpec().getInitContainers().get(1);
        run.getSpec().generator.spec.timeout = "5m";
        Container withClassTimeout = pods.generatorPod(run, 1).getSpec().getInitContainers().get(1);

        assertThat(withoutClassTimeout.getEnv())
                .anySatisfy(
                        e -> {
                            assertThat(e.getName()).isEqualTo("DF_GENERATE_TIMEOUT");
                            assertThat(e.getValue())
                                    .as("20m less 5m for build and report")
                                    .isEqualTo("900s");
                        });
        assertThat(withClassTimeout.getEnv())
                .anySatisfy(
                        e -> {
                            assertThat(e.getName()).isEqualTo("DF_GENERATE_TIMEOUT");
                            assertThat(e.getValue()).isEqualTo("300s");
                        });
    }

    @Test
    void buildAndReportKeepAQuarterOfTheAttemptBetweenTwoMinutesAndHalf() {
        assertThat(StationPods.keptForBuildAndReport(java.time.Duration.ofMinutes(20)))
                .hasMinutes(5);
        assertThat(StationPods.keptForBuildAndReport(java.time.Duration.ofMinutes(6)))
                .hasMinutes(2);
        assertThat(StationPods.keptForBuildAndReport(java.time.Duration.ofMinutes(2)))
                .hasMinutes(1);
    }

    @Test
    void pushCredentialsReachOnlyBuildAndPullCredentialsOnlyPrepare() {
        StationPods withSecrets =
                new StationPods(
                        FactoryConfigs.with(
                                "darkfactory.registry-push-secret", "push-creds",
                                "darkfactory.registry-pull-secret", "pull-creds"));

        PodSpec spec = withSecrets.generatorPod(RunFixtures.run(3), 1).getSpec();

        assertThat(spec.getVolumes())
                .filteredOn(v -> v.getSecret() != null)
                .extracting(v -> v.getName() + "=" + v.getSecret().getSecretName())
                .containsExactlyInAnyOrder(
                        "registry-auth=push-creds", "registry-pull-auth=pull-creds");
        Map<String, List<String>> secretMounts = new java.util.LinkedHashMap<>();
        for (Container container : allContainers(spec)) {
            secretMounts.put(
                    container.getName(),
                    container.getVolumeMounts().stream()
                            .map(m -> m.getName())
                            .filter(name -> name.startsWith("registry"))
                            .toList());
        }
        assertThat(secretMounts)
                .containsExactly(
                        Map.entry("prepare", List.of("registry-pull-auth")),
                        Map.entry("generate", List.of()),
                        Map.entry("build", List.of("registry-auth")),
                        Map.entry("report", List.of()));
        assertThat(env(spec, "build"))
                .containsEntry(
                        "DF_DOCKER_CONFIG", "/var/run/darkfactory/registry/.dockerconfigjson");
        assertThat(env(spec, "prepare"))
                .containsEntry(
                        "DF_DOCKER_CONFIG", "/var/run/darkfactory/registry-pull/.dockerconfigjson");
        assertThat(env(spec, "report")).doesNotContainKey("DF_DOCKER_CONFIG");
    }

    @Test
    void theGenerateContainerHoldsNoCredentialsNoTokenAndNoOperatorSettings() {
        StationPods withSecrets =
                new StationPods(
                        FactoryConfigs.with(
                                "darkfactory.registry-push-secret", "push-creds",
                                "darkfactory.registry-pull-secret", "pull-creds"));
        var run = RunFixtures.run(3);

        PodSpec spec = withSecrets.generatorPod(run, 1).getSpec();
        Container generate = spec.getInitContainers().get(1);

        assertThat(spec.getAutomountServiceAccountToken()).isFalse();
        assertThat(generate.getVolumeMounts())
                .extracting(m -> m.getName())
                .containsExactly("workspace");
        assertThat(generate.getEnvFrom()).isEmpty();
        List<String> ofClass =
                run.getSpec().generator.spec.env == null
                        ? List.of()
                        : run.getSpec().generator.spec.env.stream().map(e -> e.name).toList();
        assertThat(env(spec, "generate").keySet())
                .allMatch(name -> ofClass.contains(name) || name.equals("DF_GENERATE_TIMEOUT"));
    }

    @Test
    void withoutAPullSecretPrepareRestoresAnonymously() {
        StationPods pushOnly =
                new StationPods(
                        FactoryConfigs.with("darkfactory.registry-push-secret", "push-creds"));

        PodSpec spec = pushOnly.generatorPod(RunFixtures.run(3), 1).getSpec();

        assertThat(spec.getInitContainers().get(0).getVolumeMounts())
                .extracting(m -> m.getName())
                .containsExactly("workspace", "input");
        assertThat(env(spec, "prepare")).doesNotContainKey("DF_DOCKER_CONFIG");
    }

    @Test
    void imagesGoToTheNamespacesRepositoryWithATagNobodyCanGuess() {
        var run = RunFixtures.run(3);
        run.getMetadata().setUid("8f14e45f-ceea-467f-a0e6-3e1e8d1a6b44");
        Map<String, String> build = env(pods.generatorPod(run, 2).getSpec(), "build");
        var other = RunFixtures.run(3);
        other.getMetadata().setUid("c9f0f895-fb98-4b91-8f3a-2a4c4a1b3c5d");

        assertThat(build.get("DF_IMAGE_REPOSITORY"))
                .isEqualTo(
                        "registry.darkfactory.svc:5000/"
                                + run.getMetadata().getNamespace()
                                + "/"
                                + run.getSpec().intentName);
        assertThat(build.get("DF_IMAGE_TAG"))
                .matches("todo-g1-abcdef-a2-[0-9a-f]{12}")
                .isEqualTo(StationPods.imageTag(run, 2))
                .isNotEqualTo(StationPods.imageTag(other, 2))
                .isNotEqualTo(StationPods.imageTag(run, 3));
    }

    private static List<Container> allContainers(PodSpec spec) {
        List<Container> all = new java.util.ArrayList<>(spec.getInitContainers());
        all.addAll(spec.getContainers());
        return all;
    }

    private static Map<String, String> env(PodSpec spec, String container) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        allContainers(spec).stream()
                .filter(c -> c.getName().equals(container))
                .findFirst()
                .orElseThrow()
                .getEnv()
                .forEach(e -> env.put(e.getName(), e.getValue()));
        return env;
    }

    @Test
    void heldOutChecksAreMountedOnlyIntoTheTester() {
        AttemptStatus attempt = new AttemptStatus();
        attempt.number = 1;
        attempt.image = "r/todo@sha256:1";

        Pod pod = pods.testerPod(RunFixtures.run(3), attempt);

        assertThat(pod.getSpec().getContainers())
                .extracting(Container::getName)
                .containsExactly("app", "tester");
        Container app = pod.getSpec().getContainers().get(0);
        Container tester = pod.getSpec().getContainers().get(1);
        assertThat(app.getImage()).isEqualTo("r/todo@sha256:1");
        assertThat(app.getVolumeMounts()).isEmpty();
        assertThat(tester.getVolumeMounts())
                .extracting(m -> m.getMountPath())
                .contains("/checks/holdout");
        assertThat(tester.getEnv())
                .anySatisfy(
                        e -> {
                            assertThat(e.getName()).isEqualTo("DF_APP_URL");
                            assertThat(e.getValue()).isEqualTo("http://127.0.0.1:8080");
                        });
        assertRestricted(pod.getSpec());
    }

    @Test
    void theVerifierPodIsTheTesterAloneSendingToTheGivenUrlWithTheRunsChecksAndRedaction() {
        var run = RunFixtures.run(3);
        run.getSpec().intent.serve = new ServeSpec();
        EnvVar token = new EnvVar("API_TOKEN", null);
        token.secretKeyRef = new SecretKeySelector("app-secrets", "token");
        run.getSpec().intent.serve.env = List.of(token);

        Pod pod =
                pods.verifierPod(
                        run,
                        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                                .withName("todo-g1-a1-verify")
                                .build(),
                        "http://10.96.0.17:8080");

        assertThat(pod.getSpec().getContainers())
                .extracting(Container::getName)
                .containsExactly("tester");
        Container tester = pod.getSpec().getContainers().get(0);
        assertThat(tester.getEnv())
                .anySatisfy(
                        e -> {
                            assertThat(e.getName()).isEqualTo("DF_APP_URL");
                            assertThat(e.getValue()).isEqualTo("http://10.96.0.17:8080");
                        });
        assertThat(tester.getEnv())
                .filteredOn(e -> e.getName().startsWith(Redactor.ENV_PREFIX))
                .singleElement();
        assertThat(tester.getVolumeMounts())
                .extracting(m -> m.getMountPath())
                .contains("/checks", "/checks/holdout");
        assertThat(pod.getSpec().getVolumes())
                .filteredOn(v -> v.getSecret() != null)
                .singleElement()
                .satisfies(
                        v ->
                                assertThat(v.getSecret().getSecretName())
                                        .isEqualTo(run.getMetadata().getName() + "-holdout"));
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getSpec().getActiveDeadlineSeconds()).isPositive();
        assertRestricted(pod.getSpec());
    }

    @Test
    void theVerifierRunsTheConfiguredVerificationTrialsAndATrialPodOne() {
        var run = RunFixtures.run(3);
        run.getSpec().intent.serve = new ServeSpec();
        ObjectMeta verifier = new ObjectMetaBuilder().withName("todo-g1-a1-verify").build();
        AttemptStatus attempt = new AttemptStatus();
        attempt.number = 1;
        attempt.image = "r/todo@sha256:1";

        assertThat(trialsOf(pods.verifierPod(run, verifier, "http://10.96.0.17:8080")))
                .as("unset: one")
                .isNull();
        run.getSpec().intent.serve.verificationTrials = 3;
        assertThat(trialsOf(pods.verifierPod(run, verifier, "http://10.96.0.17:8080")))
                .isEqualTo("3");
        assertThat(trialsOf(pods.testerPod(run, attempt)))
                .as("a trial pod runs one trial, whatever the verification runs")
                .isNull();
    }

    private static String trialsOf(Pod pod) {
        return pod.getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("tester"))
                .flatMap(c -> c.getEnv().stream())
                .filter(e -> e.getName().equals("DF_TRIALS"))
                .map(e -> e.getValue())
                .findFirst()
                .orElse(null);
    }

    @Test
    void appOutputIsForwardedOnlyWhenTheIntentSaysSo() {
        var run = RunFixtures.run(3);
        AttemptStatus attempt = new AttemptStatus();
        attempt.number = 1;
        attempt.image = "r/todo@sha256:1";
        String kept =
                pods.testerPod(run, attempt)
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getTerminationMessagePolicy();
        run.getSpec().intent.serve = new ServeSpec();
        run.getSpec().intent.serve.forwardAppOutput = true;
        String forwarded =
                pods.testerPod(run, attempt)
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getTerminationMessagePolicy();

        assertThat(kept).isEqualTo("File");
        assertThat(forwarded).isEqualTo("FallbackToLogsOnError");
    }

    @Test
    void theTesterGetsTheAppsSecretReferencesUnderTheRedactionPrefixOnly() {
        var run = RunFixtures.run(3);
        run.getSpec().intent.serve = new ServeSpec();
        EnvVar token = new EnvVar("API_TOKEN", null);
        token.secretKeyRef = new SecretKeySelector("app-secrets", "token");
        run.getSpec().intent.serve.env = List.of(new EnvVar("MODE", "prod"), token);
        AttemptStatus attempt = new AttemptStatus();
        attempt.number = 1;
        attempt.image = "r/todo@sha256:1";

        Container tester = pods.testerPod(run, attempt).getSpec().getContainers().get(1);

        assertThat(tester.getEnv())
                .filteredOn(e -> e.getName().startsWith(Redactor.ENV_PREFIX))
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.getValue()).isNull();
                            assertThat(e.getValueFrom().getSecretKeyRef().getName())
                                    .isEqualTo("app-secrets");
                            assertThat(e.getValueFrom().getSecretKeyRef().getKey())
                                    .isEqualTo("token");
                        });
        assertThat(tester.getEnv())
                .noneMatch(e -> e.getName().equals("API_TOKEN") || e.getName().equals("MODE"));
    }

    @Test
    void aCustomTestImageTakesThePlaceOfTheTesterStation() {
        var run = RunFixtures.run(3);
        run.getSpec().intent.acceptance.image = "example.com/tests:1";
        run.getSpec().intent.acceptance.command = List.of("pytest", "-q");
        AttemptStatus attempt = new AttemptStatus();
        attempt.number = 1;
        attempt.image = "r/todo@sha256:1";

        Container tester = pods.testerPod(run, attempt).getSpec().getContainers().get(1);

        assertThat(tester.getImage()).isEqualTo("example.com/tests:1");
        assertThat(tester.getCommand()).containsExactly("pytest", "-q");
    }

    private static void assertRestricted(PodSpec spec) {
        assertThat(spec.getAutomountServiceAccountToken()).isFalse();
        assertThat(spec.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(spec.getSecurityContext().getSeccompProfile().getType())
                .isEqualTo("RuntimeDefault");
        assertThat(spec.getActiveDeadlineSeconds()).isEqualTo(1200L);
        List<Container> all = new java.util.ArrayList<>(spec.getContainers());
        if (spec.getInitContainers() != null) {
            all.addAll(spec.getInitContainers());
        }
        assertThat(all)
                .allSatisfy(
                        c -> {
                            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation())
                                    .isFalse();
                            assertThat(c.getSecurityContext().getCapabilities().getDrop())
                                    .containsExactly("ALL");
                            assertThat(c.getResources().getLimits()).containsKey("memory");
                            // The app's output stays in its pod unless the intent forwards it
                            // (appOutputIsForwardedOnlyWhenTheIntentSaysSo).
                            assertThat(c.getTerminationMessagePolicy())
                                    .isEqualTo(
                                            c.getName().equals("app")
                                                    ? "File"
                                                    : "FallbackToLogsOnError");
                        });
    }

    private static AttemptStatus passed(dev.darkfactory.operator.api.v1alpha1.FactoryRun run) {
        AttemptStatus attempt = new AttemptStatus();
        attempt.number = 1;
        attempt.image = "r/todo@sha256:1";
        return attempt;
    }
}
