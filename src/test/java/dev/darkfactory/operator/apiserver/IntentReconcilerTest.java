package dev.darkfactory.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.darkfactory.operator.api.v1alpha1.Condition;
import dev.darkfactory.operator.api.v1alpha1.HttpCheck;
import dev.darkfactory.operator.api.v1alpha1.HttpMethod;
import dev.darkfactory.operator.api.v1alpha1.IntentPhase;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.intent.IntentReconciler;
import dev.darkfactory.operator.metrics.FactoryMetrics;
import dev.darkfactory.operator.status.StatusAggregator;
import dev.darkfactory.operator.testing.FactoryConfigs;
import dev.darkfactory.operator.testing.FactoryHarness;
import dev.darkfactory.operator.testing.Fixtures;
import dev.darkfactory.operator.testing.TestApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/** The intent reconciler, running in-process, writes conditions and Events on a real API server. */
// Its namespaces and operators are its own: in the parallel lane, its tests one by one.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("IntentReconcilerTest")
class IntentReconcilerTest {

    @RegisterExtension final FactoryHarness factory = FactoryHarness.withoutOperator();
    private final KubernetesClient client = factory.client;
    private final String namespace = factory.namespace;

    @BeforeEach
    void startOperator() {
        factory.startWith(
                () ->
                        List.of(
                                new IntentReconciler(
                                        FactoryConfigs.defaults(), FactoryMetrics.inMemory())));
    }

    @Test
    void missingGeneratorClassStallsNamingTheFieldThenRecoversWhenTheClassAppears() {
        String className = "missing-" + namespace;
        SoftwareIntent intent =
                client.resource(Fixtures.intent(namespace, "todo", className)).create();

        SoftwareIntent stalled =
                awaitStatus("todo", i -> i.getStatus().phase == IntentPhase.Invalid);
        assertThat(stalled.getStatus().observedGeneration)
                .isEqualTo(intent.getMetadata().getGeneration());
        assertThat(condition(stalled, StatusAggregator.READY))
                .satisfies(
                        ready -> {
                            assertThat(ready.status.name()).isEqualTo("False");
                            assertThat(ready.reason).isEqualTo("GeneratorClassNotFound");
                            assertThat(ready.message)
                                    .startsWith("spec.generatorClassName: ")
                                    .contains(className);
                            assertThat(ready.observedGeneration)
                                    .isEqualTo(intent.getMetadata().getGeneration());
                        });
        assertThat(condition(stalled, StatusAggregator.STALLED).isTrue()).isTrue();
        assertThat(condition(stalled, StatusAggregator.RECONCILING).isTrue()).isFalse();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> eventReasons("todo").contains("GeneratorClassNotFound"));
        assertThat(stalled.getMetadata().getGeneration())
                .as("the operator never writes spec")
                .isEqualTo(1L);

        client.resource(Fixtures.generatorClass(className, false)).create();

        // No run reconciler runs in this test, so the run the intent creates stays as it was made:
        // the intent names it and says it starts its first attempt.
        SoftwareIntent accepted =
                awaitStatus("todo", i -> i.getStatus().phase == IntentPhase.Building);
        assertThat(accepted.getStatus().generatorClassName).isEqualTo(className);
        assertThat(accepted.getStatus().latestRun).startsWith("todo-g1-");
        assertThat(condition(accepted, StatusAggregator.STALLED).isTrue()).isFalse();
        assertThat(condition(accepted, StatusAggregator.RECONCILING).reason)
                .isEqualTo("Generating");
        assertThat(accepted.getStatus().attempts).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> eventReasons("todo").contains("RunCreated"));
    }

    @Test
    void crossFieldRulesTheServerDidNotEnforceAreReportedInStatus() {
        assumeFalse(
                TestApiServer.enforcesCel(),
                "this API server rejects the spec at admission (CEL), see SchemaValidationTest");
        SoftwareIntent intent = Fixtures.intent(namespace, "dupes", "any-class");
        HttpCheck duplicate = new HttpCheck("health", HttpMethod.GET, "/other", 200);
        intent.getSpec().acceptance.checks =
                List.of(intent.getSpec().acceptance.checks.get(0), duplicate);
        client.resource(Fixtures.generatorClass("any-class-" + namespace, false)).create();
        client.resource(intent).create();

        SoftwareIntent invalid =
                awaitStatus("dupes", i -> i.getStatus().phase == IntentPhase.Invalid);

        assertThat(condition(invalid, StatusAggregator.STALLED).message)
                .contains("spec.acceptance.checks[1].name: check names must be unique");
    }

    private SoftwareIntent awaitStatus(String name, Predicate<SoftwareIntent> until) {
        return factory.awaitIntent(name, until);
    }

    private static Condition condition(SoftwareIntent intent, String type) {
        return StatusAggregator.find(intent.getStatus().conditions, type);
    }

    private List<String> eventReasons(String name) {
        return factory.eventReasons(name);
    }
}
