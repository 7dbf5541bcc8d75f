package dev.darkfactory.operator.budget;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.ModelBudget;
import dev.darkfactory.operator.api.v1alpha1.ModelBudgetStatus;
import dev.darkfactory.operator.api.v1alpha1.RunSpend;
import dev.darkfactory.operator.status.StatusAggregator;
import dev.darkfactory.operator.status.StatusPatch;
import dev.darkfactory.operator.util.ListPages;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps each ModelBudget's status: the current period, what the namespace's runs spent in it (a
 * ledger per run, so deleted runs still count) and whether it is Exhausted. The run reconciler
 * decides from the same ledger and the runs it sees, so a run never waits for this status to start
 * or to be held; this status is what people and dashboards read.
 */
@ControllerConfiguration(name = ModelBudgetReconciler.NAME, generationAwareEventProcessing = false)
public class ModelBudgetReconciler implements Reconciler<ModelBudget> {

    public static final String NAME = "modelbudget";
    public static final String EXHAUSTED = "Exhausted";

    /** Name prefix of the run informers, one per namespace with a budget. */
    private static final String RUNS = "runs-";

    private final Clock clock;

    public ModelBudgetReconciler() {
        this(Clock.systemUTC());
    }

    public ModelBudgetReconciler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public UpdateControl<ModelBudget> reconcile(ModelBudget budget, Context<ModelBudget> context) {
        List<FactoryRun> runs =
                runsOf(budget.getMetadata().getNamespace(), context)
                        .list(budget.getMetadata().getNamespace())
                        .toList();
        Instant now = clock.instant();
        ModelBudgetStatus next = status(budget, runs, now, clock);
        if (!StatusPatch.same(budget.getStatus(), next)) {
            PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(
                    budget, StatusPatch.statusOnly(budget, next, ModelBudget::new), context);
        }
        // Wake at the roll-over to start the new period from zero.
        Duration untilNext =
                Duration.between(now, BudgetPeriods.next(budget.getSpec().period, now))
                        .plusSeconds(1);
        return UpdateControl.<ModelBudget>noUpdate().rescheduleAfter(untilNext);
    }

    /**
     * The runs of a namespace that has a budget, from an informer on that namespace alone,
     * registered by the namespace's first budget reconcile. Runs of namespaces without a budget are
     * not cached here: the run controller's cache already holds every run, and a copy of all of
     * them for a few budgets was 13 of 143 MiB of live heap at 1,200 intents. Every change of a
     * run's status may change its spend, so it wakes the budgets of its namespace. The informer
     * stays until the operator restarts, also after the namespace's last budget is deleted.
     */
    @SuppressWarnings("unchecked")
    private static InformerEventSource<FactoryRun, ModelBudget> runsOf(
            String namespace, Context<ModelBudget> context) {
        var retriever = context.eventSourceRetriever();
        String name = RUNS + namespace;
        Optional<EventSource<FactoryRun, ModelBudget>> existing =
                retriever.getEventSourcesFor(FactoryRun.class).stream()
                        .filter(source -> name.equals(source.name()))
                        .findFirst();
        if (existing.isPresent()) {
            return (InformerEventSource<FactoryRun, ModelBudget>) existing.get();
        }
        EventSourceContext<ModelBudget> sourceContext =
                retriever.eventSourceContextForDynamicRegistration();
        var runs =
                InformerEventSourceConfiguration.from(FactoryRun.class, ModelBudget.class)
                        .withName(name)
                        .withNamespaces(Set.of(namespace))
                        .withFollowControllerNamespacesChanges(false)
                        .withSecondaryToPrimaryMapper(
                                run ->
                                        sourceContext
                                                .getPrimaryCache()
                                                .list(run.getMetadata().getNamespace())
                                                .map(ResourceID::fromResource)
                                                .collect(Collectors.toSet()))
                        .withInformerListLimit(ListPages.SIZE)
                        .build();
        // Returns the one registered first when two budgets of the namespace race here.
        return (InformerEventSource<FactoryRun, ModelBudget>)
                retriever.dynamicallyRegisterEventSource(
                        new InformerEventSource<>(runs, sourceContext));
    }

    /** The budget's status at {@code now}, over the runs of its namespace. */
    static ModelBudgetStatus status(
            ModelBudget budget, List<FactoryRun> runs, Instant now, Clock clock) {
        Instant start = BudgetPeriods.start(budget.getSpec().period, now);
        List<RunSpend> ledger = NamespaceSpend.ledger(budget, runs, start);
        var state = NamespaceBudgetDecision.State.of(budget, start, ledger);
        ModelBudgetStatus status = new ModelBudgetStatus();
        status.observedGeneration = budget.getMetadata().getGeneration();
        status.periodStart = start.toString();
        status.runs = ledger;
        status.spentTokens = state.spent().tokens();
        status.spentCost = state.spent().cost().toPlainString();
        Optional<String> exhausted = NamespaceBudgetDecision.exhausted(state);
        long generation =
                budget.getMetadata().getGeneration() == null
                        ? 0
                        : budget.getMetadata().getGeneration();
        var conditions =
                new StatusAggregator(
                        budget.getStatus() == null ? null : budget.getStatus().conditions,
                        generation,
                        clock);
        String counted =
                "counted " + ledger.size() + " runs of the period from " + status.periodStart;
        conditions.ready("Counted", counted);
        if (exhausted.isPresent()) {
            conditions.set(EXHAUSTED, true, NamespaceBudgetDecision.REASON, exhausted.get());
        } else {
            conditions.set(EXHAUSTED, false, "WithinBudget", counted);
        }
        status.conditions = conditions.build();
        return status;
    }
}
