package dev.darkfactory.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.GeneratorClass;
import dev.darkfactory.operator.bench.OperatorBenchmark;
import dev.darkfactory.operator.config.FactoryConfig;
import dev.darkfactory.operator.config.LeaderElection;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code helm template} with default and non-default values, asserting on the rendered objects. */
class ChartTemplateTest {

    static final String RELEASE = "df";
    static final String NAMESPACE = "df-system";
    static final String IMAGE = "darkfactory/operator:0.1.0";

    @Test
    void defaultsInstallTheOperatorItsRbacAndTheBuiltinGeneratorAsDefaultClass() {
        RenderedChart chart = HelmChart.template(RELEASE, NAMESPACE, Map.of());

        assertThat(chart.objects())
                .extracting(GenericKubernetesResource::getKind)
                .containsExactlyInAnyOrder(
                        "ServiceAccount",
                        "ClusterRole",
                        "ClusterRoleBinding",
                        "Role",
                        "RoleBinding",
                        "Deployment",
                        "GeneratorClass");
        GeneratorClass builtin = chart.one(GeneratorClass.class);
        assertThat(builtin.getMetadata().getName()).isEqualTo("builtin");
        assertThat(builtin.markedDefault()).isTrue();
        assertThat(builtin.getSpec().image).isEqualTo(IMAGE);
        assertThat(builtin.getSpec().command)
                .containsExactly("/deployments/station", "generate-openai");
        assertThat(builtin.getSpec().env)
                .extracting(e -> e.name)
                .containsExactly("OPENAI_BASE_URL", "OPENAI_MODEL", "OPENAI_API_KEY");
        var apiKey = builtin.getSpec().env.get(2);
        assertThat(apiKey.value).as("the API key is referenced, never inlined").isNull();
        assertThat(apiKey.secretKeyRef.name).isEqualTo("darkfactory-openai");
        assertThat(apiKey.secretKeyRef.key).isEqualTo("api-key");
    }

    /**
     * make bench measures the operator as the chart runs it: the chart's JVM options, with MaxRAM
     * standing in for the container's memory limit, and the chart's reconcile threads.
     */
    @Test
    void theBenchmarkRunsTheOperatorAsTheChartDoes() {
        RenderedChart chart = HelmChart.template(RELEASE, NAMESPACE, Map.of());
        Map<String, String> env = chart.operatorEnvironment();
        String limit =
                chart.one(Deployment.class)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getResources()
                        .getLimits()
                        .get("memory")
                        .toString();

        assertThat(limit).endsWith("Mi");
        assertThat(OperatorBenchmark.CHART_JVM_OPTIONS)
                .isEqualTo(
                        "-XX:MaxRAM="
                                + limit.replace("Mi", "m")
                                + " "
                                + env.get("JDK_JAVA_OPTIONS"));
        assertThat(env).containsAllEntriesOf(OperatorBenchmark.CHART_ENVIRONMENT);
    }

    @Test
    void theOperatorRunsUnderTheRestrictedProfileWithHealthProbes() {
        Deployment deployment =
                HelmChart.template(RELEASE, NAMESPACE, Map.of()).one(Deployment.class);
        var pod = deployment.getSpec().getTemplate().getSpec();
        Container operator = pod.getContainers().get(0);

        assertThat(pod.getServiceAccountName()).isEqualTo("df-darkfactory");
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType())
                .isEqualTo("RuntimeDefault");
        var security = operator.getSecurityContext();
        assertThat(security.getAllowPrivilegeEscalation()).isFalse();
        assertThat(security.getPrivileged()).isFalse();
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(security.getCapabilities().getAdd()).isEmpty();
        assertThat(operator.getVolumeMounts())
                .extracting(m -> m.getMountPath())
                .containsExactly("/tmp");

        assertThat(operator.getImage()).isEqualTo(IMAGE);
        assertThat(operator.getPorts())
                .singleElement()
                .satisfies(
                        p -> {
                            assertThat(p.getName()).isEqualTo("http");
                            assertThat(p.getContainerPort()).isEqualTo(8080);
                        });
        assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(operator.getLivenessProbe().getHttpGet().getPort().getStrVal())
                .isEqualTo("http");
        assertThat(operator.getReadinessProbe().getHttpGet().getPath())
                .isEqualTo("/q/health/ready");
        assertThat(operator.getResources().getLimits()).containsKeys("cpu", "memory");
        assertThat(operator.getResources().getRequests()).containsKeys("cpu", "memory");
    }

    @Test
    void operatorValuesBecomeTheOperatorsSettings() {
        RenderedChart chart =
                HelmChart.template(
                        RELEASE,
                        NAMESPACE,
                        Map.of(
                                "replicaCount", 2,
                                "watchNamespaces", List.of("team-a", "team-b"),
                                "operator",
                                        Map.of(
                                                "maxConcurrentRuns",
                                                7,
                                                "runHistoryLimit",
                                                3,
                                                "healthTimeout",
                                                "2m",
                                                "allowedBaseImages",
                                                List.of(
                                                        "registry.local:5000/base/python:3.12",
                                                        "registry.local:5000/base/*"),
                                                "stationImage",
                                                "registry.local:5000/darkfactory/operator:dev",
                                                "stationImagePullPolicy",
                                                "Always",
                                                "reconcileThreads",
                                                8),
                                "registry",
                                        Map.of(
                                                "address",
                                                "registry.local:5000/apps",
                                                "insecure",
                                                true,
                                                "pushSecret",
                                                "registry-push")));

        assertThat(chart.one(Deployment.class).getSpec().getReplicas()).isEqualTo(2);
        assertThat(chart.operatorEnvironment())
                .containsAllEntriesOf(
                        Map.of(
                                "DARKFACTORY_MAX_CONCURRENT_RUNS", "7",
                                "DARKFACTORY_RUN_HISTORY_LIMIT", "3",
                                "DARKFACTORY_HEALTH_TIMEOUT", "2m",
                                "DARKFACTORY_ALLOWED_BASE_IMAGES",
                                        "registry.local:5000/base/python:3.12,registry.local:5000/base/*",
                                "DARKFACTORY_STATION_IMAGE",
                                        "registry.local:5000/darkfactory/operator:dev",
                                "DARKFACTORY_STATION_IMAGE_PULL_POLICY", "Always",
                                "DARKFACTORY_REGISTRY", "registry.local:5000/apps",
                                "DARKFACTORY_REGISTRY_INSECURE", "true",
                                "DARKFACTORY_REGISTRY_PUSH_SECRET", "registry-push",
                                "QUARKUS_OPERATOR_SDK_NAMESPACES", "team-a,team-b"))
                .containsEntry("QUARKUS_OPERATOR_SDK_CONCURRENT_RECONCILIATION_THREADS", "8");
    }

    @Test
    void defaultsWatchEveryNamespacePushWithASecretAndAllowNoBaseImageOfEverything() {
        Map<String, String> env =
                HelmChart.template(RELEASE, NAMESPACE, Map.of()).operatorEnvironment();

        assertThat(env)
                .containsEntry("QUARKUS_OPERATOR_SDK_NAMESPACES", "JOSDK_ALL_NAMESPACES")
                .containsEntry("DARKFACTORY_STATION_IMAGE", IMAGE)
                .containsEntry("DARKFACTORY_REGISTRY_PUSH_SECRET", "darkfactory-registry-push")
                .containsEntry(
                        "DARKFACTORY_ALLOWED_BASE_IMAGES", "registry.darkfactory.svc:5000/base/*")
                .doesNotContainKey("DARKFACTORY_REGISTRY_PULL_SECRET");
    }

    @Test
    void anonymousPushOnlyWhenAskedForExplicitly() {
        Map<String, Object> noSecret = Map.of("registry", Map.of("pushSecret", ""));
        Map<String, String> env =
                HelmChart.template(
                                RELEASE,
                                NAMESPACE,
                                Map.of(
                                        "registry",
                                        Map.of(
                                                "pushSecret",
                                                "",
                                                "allowAnonymousPush",
                                                true,
                                                "pullSecret",
                                                "registry-pull")))
                        .operatorEnvironment();

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> HelmChart.template(RELEASE, NAMESPACE, noSecret))
                .hasMessageContaining("allowAnonymousPush");
        assertThat(env)
                .doesNotContainKey("DARKFACTORY_REGISTRY_PUSH_SECRET")
                .containsEntry("DARKFACTORY_REGISTRY_PULL_SECRET", "registry-pull");
    }

    /** Catches a setting renamed on one side only: the operator would silently use its default. */
    @Test
    void everyOperatorSettingIsSetUnderTheNameTheOperatorReads() {
        Deployment deployment =
                HelmChart.template(
                                RELEASE,
                                NAMESPACE,
                                Map.of(
                                        "registry",
                                        Map.of(
                                                "pushSecret",
                                                "registry-push",
                                                "pullSecret",
                                                "registry-pull")))
                        .one(Deployment.class);
        Set<String> set =
                deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getEnv()
                        .stream()
                        .map(EnvVar::getName)
                        .filter(n -> n.startsWith("DARKFACTORY_"))
                        .collect(Collectors.toSet());

        Set<String> read =
                Stream.concat(
                                properties("darkfactory.", FactoryConfig.class),
                                Stream.of(
                                        LeaderElection.LEASE_NAME, LeaderElection.LEASE_NAMESPACE))
                        .map(EnvironmentNames::of)
                        .collect(Collectors.toSet());
        assertThat(set).isEqualTo(read);
    }

    @Test
    void theLeaseTheOperatorElectsWithIsTheOneItsRoleLetsItRenew() {
        RenderedChart chart =
                HelmChart.template(
                        RELEASE,
                        NAMESPACE,
                        Map.of("leaderElection", Map.of("leaseName", "df-lock")));
        Deployment deployment = chart.one(Deployment.class);
        EnvVar namespace =
                deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getEnv()
                        .stream()
                        .filter(
                                e ->
                                        e.getName()
                                                .equals(
                                                        EnvironmentNames.of(
                                                                LeaderElection.LEASE_NAMESPACE)))
                        .findFirst()
                        .orElseThrow();
        Role leaderElection = chart.one(Role.class);

        assertThat(chart.operatorEnvironment())
                .containsEntry(EnvironmentNames.of(LeaderElection.LEASE_NAME), "df-lock");
        assertThat(namespace.getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.namespace");
        assertThat(leaderElection.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        assertThat(leaderElection.getRules())
                .anySatisfy(
                        rule -> {
                            assertThat(rule.getResourceNames()).containsExactly("df-lock");
                            assertThat(rule.getVerbs()).contains("update");
                        });
    }

    @Test
    void codingAgentClassesAreOffByDefaultAndKeepTheirKeysInSecrets() {
        RenderedChart chart =
                HelmChart.template(
                        RELEASE,
                        NAMESPACE,
                        Map.of(
                                "generatorClasses",
                                Map.of(
                                        "claudeCode", agent("registry.local/agents/claude-code:1"),
                                        "codex", agent("registry.local/agents/codex:1"),
                                        "aider", agent("registry.local/agents/aider:1"),
                                        "openHands", agent("registry.local/agents/openhands:1"))));
        List<GeneratorClass> classes = chart.all(GeneratorClass.class);

        assertThat(classes)
                .extracting(c -> c.getMetadata().getName())
                .containsExactlyInAnyOrder("builtin", "claude-code", "codex", "aider", "openhands");
        assertThat(classes)
                .filteredOn(GeneratorClass::markedDefault)
                .extracting(c -> c.getMetadata().getName())
                .containsExactly("builtin");
        for (GeneratorClass agent : classes.stream().filter(c -> !c.markedDefault()).toList()) {
            assertThat(agent.getSpec().image).startsWith("registry.local/agents/");
            assertThat(
                            String.join(
                                    " ",
                                    Stream.concat(
                                                    agent.getSpec().command.stream(),
                                                    agent.getSpec().args.stream())
                                            .toList()))
                    .contains("/workspace/.darkfactory/prompt.md");
            assertThat(agent.getSpec().env).anySatisfy(e -> assertThat(e.secretKeyRef).isNotNull());
            assertThat(agent.getSpec().env)
                    .filteredOn(e -> e.name.endsWith("API_KEY"))
                    .allSatisfy(e -> assertThat(e.value).isNull());
            assertThat(agent.getSpec().env).anySatisfy(e -> assertThat(e.name).isEqualTo("HOME"));
        }
        assertThat(HelmChart.template(RELEASE, NAMESPACE, Map.of()).all(GeneratorClass.class))
                .hasSize(1);
    }

    @Test
    void theServiceMonitorScrapesTheOperatorsMetricsWhenEnabled() {
        RenderedChart chart =
                HelmChart.template(
                        RELEASE,
                        NAMESPACE,
                        Map.of(
                                "serviceMonitor",
                                Map.of(
                                        "enabled",
                                        true,
                                        "labels",
                                        Map.of("release", "prometheus"))));
        Service service = chart.one(Service.class);
        GenericKubernetesResource monitor = chart.ofKind("ServiceMonitor").get(0);
        Map<String, String> podLabels =
                chart.one(Deployment.class).getSpec().getTemplate().getMetadata().getLabels();

        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getName()).isEqualTo("http"));
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
        assertThat(service.getMetadata().getLabels())
                .containsAllEntriesOf(
                        monitor.<Map<String, String>>get("spec", "selector", "matchLabels"));
        List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
        assertThat(endpoints)
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(e)
                                        .containsEntry("path", "/q/metrics")
                                        .containsEntry("port", "http"));
        assertThat(HelmChart.template(RELEASE, NAMESPACE, Map.of()).ofKind("ServiceMonitor"))
                .isEmpty();
    }

    @Test
    void anExistingServiceAccountCanBeUsed() {
        RenderedChart chart =
                HelmChart.template(
                        RELEASE,
                        NAMESPACE,
                        Map.of(
                                "serviceAccount",
                                Map.of("create", false, "name", "platform-operator")));

        assertThat(chart.all(ServiceAccount.class)).isEmpty();
        assertThat(
                        chart.one(Deployment.class)
                                .getSpec()
                                .getTemplate()
                                .getSpec()
                                .getServiceAccountName())
                .isEqualTo("platform-operator");
    }

    @Test
    void theInstallNotesSayWhatToCreateAndApplyNext() {
        String notes = HelmChart.installNotes(RELEASE, NAMESPACE, Map.of());
        String withPushSecret =
                HelmChart.installNotes(
                        RELEASE,
                        NAMESPACE,
                        Map.of(
                                "registry",
                                Map.of("pushSecret", "registry-push"),
                                "watchNamespaces",
                                List.of("team-a")));

        assertThat(notes)
                .contains(
                        "kubectl -n df-system rollout status deployment/df-darkfactory",
                        "kubectl -n NS create secret generic darkfactory-openai --from-literal=api-key=YOUR_API_KEY",
                        "kubectl -n NS apply -f examples/todo-rest-api.yaml",
                        "every namespace");
        assertThat(withPushSecret)
                .contains("create secret docker-registry registry-push", "team-a");
    }

    static Map<String, Object> agent(String image) {
        return Map.of("enabled", true, "image", image);
    }

    /** The properties an interface maps, nested groups (such as pods()) by their own. */
    private static Stream<String> properties(String prefix, Class<?> mapping) {
        return Arrays.stream(mapping.getDeclaredMethods())
                .filter(
                        m ->
                                !m.isSynthetic()
                                        && !java.lang.reflect.Modifier.isStatic(m.getModifiers()))
                .flatMap(
                        m ->
                                m.getReturnType().getEnclosingClass() == FactoryConfig.class
                                        ? properties(
                                                prefix + kebab(m.getName()) + ".",
                                                m.getReturnType())
                                        : Stream.of(prefix + kebab(m.getName())));
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}
