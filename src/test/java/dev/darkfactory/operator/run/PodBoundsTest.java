package dev.darkfactory.operator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.ComputeResources;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.ResourceAmounts;
import dev.darkfactory.operator.config.PodBounds;
import dev.darkfactory.operator.rollout.ServingResources;
import dev.darkfactory.operator.testing.FactoryConfigs;
import dev.darkfactory.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every pod the operator makes is bounded (config/PodBounds): each container has CPU, memory and
 * ephemeral-storage limits and an ephemeral-storage request, and each emptyDir a sizeLimit, so a
 * ResourceQuota on limits admits the pods and no run can take a node's CPU or fill its disk.
 */
class PodBoundsTest {

    private static final PodBounds DEFAULTS = PodBounds.of(FactoryConfigs.defaults());
    private final StationPods pods = new StationPods(FactoryConfigs.defaults());

    @Test
    void everyContainerAndEveryEmptyDirOfEveryPodIsBounded() {
        FactoryRun run = RunFixtures.run(3);
        FactoryRun customTester = RunFixtures.run(3);
        customTester.getSpec().intent.acceptance.image = "example.com/tests:1";

        for (PodSpec spec :
                List.of(
                        pods.generatorPod(run, 1).getSpec(),
                        pods.testerPod(run, built()).getSpec(),
                        pods.testerPod(customTester, built()).getSpec(),
                        servingPod(run))) {
            assertBounded(spec);
        }
    }

    @Test
    void resourcesAClassOrIntentGivesAreCompletedWithTheLimitsTheyLack() {
        FactoryRun run = RunFixtures.run(3);
        // Requests only, one above the default CPU limit: the limit may not fall below it.
        run.getSpec().generator.spec.resources =
                new ComputeResources(new ResourceAmounts("1500m", "1Gi"), null);
        run.getSpec().intent.serve = new dev.darkfactory.operator.api.v1alpha1.ServeSpec();
        run.getSpec().intent.serve.resources =
                new ComputeResources(null, new ResourceAmounts(null, "64Mi"));

        Container generate = pods.generatorPod(run, 1).getSpec().getInitContainers().get(1);
        assertThat(generate.getResources().getLimits())
                .containsEntry("cpu", new Quantity("1500m"))
                .containsEntry("memory", new Quantity("1Gi"));
        Container app = pods.testerPod(run, built()).getSpec().getContainers().get(0);
        assertThat(app.getResources().getLimits())
                .containsEntry("cpu", new Quantity("1"))
                .containsEntry("memory", new Quantity("64Mi"));
        assertBounded(pods.generatorPod(run, 1).getSpec());
        assertBounded(servingPod(run));
    }

    @Test
    void containersOnTheWorkspaceMayHoldItOnTopOfTheirOwnScratch() {
        PodSpec generator = pods.generatorPod(RunFixtures.run(3), 1).getSpec();

        assertThat(generator.getVolumes().get(0).getEmptyDir().getSizeLimit())
                .isEqualTo(new Quantity("2Gi"));
        assertThat(all(generator))
                .allSatisfy(
                        c ->
                                assertThat(c.getResources().getLimits().get("ephemeral-storage"))
                                        .isEqualTo(new Quantity("4Gi")));
        assertThat(all(pods.testerPod(RunFixtures.run(3), built()).getSpec()))
                .allSatisfy(
                        c ->
                                assertThat(c.getResources().getLimits().get("ephemeral-storage"))
                                        .isEqualTo(new Quantity("2Gi")));
    }

    @Test
    void theBoundsAreTheOperatorsSettings() {
        StationPods configured =
                new StationPods(
                        FactoryConfigs.with(
                                "darkfactory.pods.station-cpu-limit", "2",
                                "darkfactory.pods.app-cpu-limit", "250m",
                                "darkfactory.pods.ephemeral-storage-request", "1Gi",
                                "darkfactory.pods.ephemeral-storage-limit", "3Gi",
                                "darkfactory.pods.workspace-size-limit", "5Gi"));
        FactoryRun run = RunFixtures.run(3);

        PodSpec generator = configured.generatorPod(run, 1).getSpec();
        assertThat(generator.getVolumes().get(0).getEmptyDir().getSizeLimit())
                .isEqualTo(new Quantity("5Gi"));
        Container build = generator.getInitContainers().get(2);
        assertThat(build.getResources().getLimits())
                .containsEntry("cpu", new Quantity("2"))
                .containsEntry("ephemeral-storage", new Quantity("8Gi"));
        assertThat(build.getResources().getRequests())
                .containsEntry("ephemeral-storage", new Quantity("1Gi"));
        Container app = configured.testerPod(run, built()).getSpec().getContainers().get(0);
        assertThat(app.getResources().getLimits()).containsEntry("cpu", new Quantity("250m"));
    }

    @Test
    void aMalformedOrInconsistentSettingIsNamed() {
        assertThatThrownBy(
                        () ->
                                PodBounds.of(
                                        FactoryConfigs.with(
                                                "darkfactory.pods.app-cpu-limit", "one core")))
                .hasMessageContaining("darkfactory.pods.app-cpu-limit");
        assertThatThrownBy(
                        () ->
                                PodBounds.of(
                                        FactoryConfigs.with(
                                                "darkfactory.pods.ephemeral-storage-request",
                                                "3Gi")))
                .hasMessageContaining("darkfactory.pods.ephemeral-storage-request");
    }

    /** What a ResourceQuota on limits and requests of CPU, memory and ephemeral storage needs. */
    private static void assertBounded(PodSpec spec) {
        assertThat(all(spec))
                .allSatisfy(
                        c -> {
                            Map<String, Quantity> limits = c.getResources().getLimits();
                            assertThat(limits)
                                    .as(c.getName())
                                    .containsKeys("cpu", "memory", "ephemeral-storage");
                            assertThat(c.getResources().getRequests())
                                    .as(c.getName())
                                    .containsKey("ephemeral-storage");
                            c.getResources()
                                    .getRequests()
                                    .forEach(
                                            (resource, request) ->
                                                    assertThat(request)
                                                            .as(c.getName() + " " + resource)
                                                            .isLessThanOrEqualTo(
                                                                    limits.get(resource)));
                        });
        List<Volume> volumes = spec.getVolumes() == null ? List.of() : spec.getVolumes();
        assertThat(volumes)
                .filteredOn(v -> v.getEmptyDir() != null)
                .allSatisfy(
                        v ->
                                assertThat(v.getEmptyDir().getSizeLimit())
                                        .as(v.getName())
                                        .isNotNull());
    }

    private static List<Container> all(PodSpec spec) {
        List<Container> all = new ArrayList<>(spec.getContainers());
        if (spec.getInitContainers() != null) {
            all.addAll(spec.getInitContainers());
        }
        return all;
    }

    private static PodSpec servingPod(FactoryRun run) {
        var intent = Fixtures.intent("ns", "todo", "builtin");
        intent.setSpec(run.getSpec().intent);
        return ServingResources.revisionDeployment(
                        intent,
                        new dev.darkfactory.operator.api.v1alpha1.RevisionStatus(
                                "g1-a1", "todo-g1", "r/todo@sha256:1"),
                        true,
                        DEFAULTS)
                .getSpec()
                .getTemplate()
                .getSpec();
    }

    private static AttemptStatus built() {
        AttemptStatus attempt = new AttemptStatus();
        attempt.number = 1;
        attempt.image = "r/todo@sha256:1";
        return attempt;
    }
}
