package dev.darkfactory.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.darkfactory.operator.api.v1alpha1.BudgetPeriod;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.IntentPhase;
import dev.darkfactory.operator.api.v1alpha1.ModelBudget;
import dev.darkfactory.operator.api.v1alpha1.ModelBudgetSpec;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.budget.ModelBudgetReconciler;
import dev.darkfactory.operator.config.FactoryConfig;
import dev.darkfactory.operator.config.LeaderElection;
import dev.darkfactory.operator.events.EventRecorder;
import dev.darkfactory.operator.intent.IntentReconciler;
import dev.darkfactory.operator.metrics.FactoryMetrics;
import dev.darkfactory.operator.run.RunReconciler;
import dev.darkfactory.operator.testing.FactoryConfigs;
import dev.darkfactory.operator.testing.FactoryHarness;
import dev.darkfactory.operator.testing.InProcessOperator;
import dev.darkfactory.operator.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chart's RBAC is enough: two replicas of the operator run in-process as the chart's
 * ServiceAccount (a real token, the chart's Roles and bindings), elect a leader through the chart's
 * Lease, and take an intent through every kind of call the reconcilers make: create runs and pods
 * and their inputs, cancel a superseded run, trim the history, patch statuses, record events; then
 * the leader goes away and the standby finishes the work. A permission missing from the chart fails
 * a step here; ChartRbacTest checks that nothing beyond them is granted.
 */
// Alone: with no namespaces listed, its replicas watch every namespace, other tests' too.
@Isolated
class ChartPermissionsOnApiServerTest {

    @RegisterExtension final FactoryHarness factory = FactoryHarness.withoutOperator();
    private final KubernetesClient admin = factory.client;
    private final List<InProcessOperator> replicas = new ArrayList<>();
    private InstalledRbac rbac;

    @AfterEach
    void tearDown() {
        replicas.forEach(InProcessOperator::close);
        if (rbac != null) {
            rbac.close();
        }
    }

    @ParameterizedTest(name = "watching listed namespaces: {0}")
    @ValueSource(booleans = {false, true})
    void twoReplicasAsTheChartsServiceAccountBuildAnIntentAndHandOver(boolean listNamespaces) {
        String releaseNamespace = TestApiServer.newNamespace("df-system");
        String namespace = factory.namespace;
        String release = "df-" + UUID.randomUUID().toString().substring(0, 8);
        RenderedChart chart =
                HelmChart.template(
                        release,
                        releaseNamespace,
                        Map.of("watchNamespaces", listNamespaces ? List.of(namespace) : List.of()));
        rbac = InstalledRbac.install(admin, chart, releaseNamespace, release + "-darkfactory");
        LeaderElection election = leaderElectionOf(chart, releaseNamespace);

        InProcessOperator first = startReplica("replica-a", namespace, election);
        InProcessOperator second = startReplica("replica-b", namespace, election);
        String leader = awaitHolder(election, Optional.empty());

        factory.createIntent("todo", 2, null);
        FactoryRun superseded = factory.supersede("todo");
        FactoryRun current = factory.awaitPod("todo", 1, false);
        await("the cancelled run is trimmed beyond the history limit of 1")
                .atMost(FactoryHarness.WAIT)
                .until(() -> factory.run(superseded.getMetadata().getName()) == null);

        InProcessOperator leaving = leader.equals("replica-a") ? first : second;
        replicas.remove(leaving);
        leaving.close();
        awaitHolder(election, Optional.of(leader));

        FactoryRun passed = factory.passAttempt("todo", 1);
        assertThat(passed.getMetadata().getName()).isEqualTo(current.getMetadata().getName());
        factory.rollOut("todo"); // the Deployment and Service were written with the chart's grants
        factory.awaitIntent("todo", i -> i.getStatus().phase == IntentPhase.Ready);
        assertThat(admin.resources(FactoryRun.class).inNamespace(namespace).list().getItems())
                .hasSize(1);
        assertThat(factory.eventReasons("todo")).contains("RunCreated", "RunCancelled");
        assertRepeatedEventsCountUp(namespace);
        assertBudgetStatusIsWritten(namespace);
    }

    /** The budget reconciler reads the runs and writes a ModelBudget's status with the grants. */
    private void assertBudgetStatusIsWritten(String namespace) {
        ModelBudget budget = new ModelBudget();
        budget.setMetadata(
                new ObjectMetaBuilder().withName("team").withNamespace(namespace).build());
        budget.setSpec(new ModelBudgetSpec(BudgetPeriod.Month, null, 1_000_000L));
        admin.resource(budget).create();

        await().atMost(FactoryHarness.WAIT)
                .until(
                        () -> admin.resource(budget).get().getStatus(),
                        status -> status != null && Long.valueOf(10).equals(status.spentTokens));
    }

    /**
     * EventRecorder swallows its failures, so its read-and-patch of a repeated event is checked
     * directly.
     */
    private void assertRepeatedEventsCountUp(String namespace) {
        SoftwareIntent intent =
                admin.resources(SoftwareIntent.class).inNamespace(namespace).withName("todo").get();
        EventRecorder events = new EventRecorder(rbac.serviceAccountClient());
        events.normal(intent, "PermissionProbe", "recorded twice as the operator's ServiceAccount");
        events.normal(intent, "PermissionProbe", "recorded twice as the operator's ServiceAccount");

        assertThat(admin.v1().events().inNamespace(namespace).list().getItems())
                .filteredOn(e -> "PermissionProbe".equals(e.getReason()))
                .singleElement()
                .satisfies(e -> assertThat(e.getCount()).isEqualTo(2));
    }

    private InProcessOperator startReplica(
            String identity, String namespace, LeaderElection election) {
        FactoryConfig settings = FactoryConfigs.with("darkfactory.run-history-limit", "1");
        InProcessOperator replica =
                InProcessOperator.startElected(
                        rbac.serviceAccountClient(),
                        namespace,
                        asReplica(election, identity),
                        new IntentReconciler(settings, FactoryMetrics.inMemory()),
                        new RunReconciler(settings, FactoryMetrics.inMemory()),
                        new ModelBudgetReconciler());
        replicas.add(replica);
        return replica;
    }

    /**
     * The operator's election as the chart configures it, from the environment its Deployment sets.
     */
    private static LeaderElection leaderElectionOf(RenderedChart chart, String releaseNamespace) {
        String leaseName =
                chart.operatorEnvironment().get(EnvironmentNames.of(LeaderElection.LEASE_NAME));
        return new LeaderElection(leaseName, Optional.of(releaseNamespace));
    }

    /**
     * One replica of that election. In a pod the identity is the pod's name; here the replicas
     * share a JVM, so each gets its own. Short timings keep the hand-over quick, and a replica that
     * loses the Lease must not exit the JVM the tests run in.
     */
    private static LeaderElectionConfiguration asReplica(LeaderElection election, String identity) {
        return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                        election.getLeaseName())
                .withLeaseNamespace(election.getLeaseNamespace().orElseThrow())
                .withIdentity(identity)
                .withLeaseDuration(Duration.ofSeconds(4))
                .withRenewDeadline(Duration.ofSeconds(3))
                .withRetryPeriod(Duration.ofSeconds(1))
                .withExitOnStopLeading(false)
                .build();
    }

    /** The Lease's holder once there is one, other than {@code not} when given. */
    private String awaitHolder(LeaderElection election, Optional<String> not) {
        return await().atMost(FactoryHarness.WAIT)
                .until(
                        () -> {
                            var lease =
                                    admin.leases()
                                            .inNamespace(election.getLeaseNamespace().orElseThrow())
                                            .withName(election.getLeaseName())
                                            .get();
                            return lease == null || lease.getSpec() == null
                                    ? null
                                    : lease.getSpec().getHolderIdentity();
                        },
                        holder ->
                                holder != null
                                        && !holder.isEmpty()
                                        && !not.map(holder::equals).orElse(false));
    }
}
