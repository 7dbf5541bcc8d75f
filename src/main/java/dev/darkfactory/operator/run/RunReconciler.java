package dev.darkfactory.operator.run;

import dev.darkfactory.operator.api.v1alpha1.AttemptPhase;
import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunStatus;
import dev.darkfactory.operator.api.v1alpha1.Labels;
import dev.darkfactory.operator.api.v1alpha1.ModelBudget;
import dev.darkfactory.operator.api.v1alpha1.OwnerReferences;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.budget.NamespaceBudgetDecision;
import dev.darkfactory.operator.config.FactoryConfig;
import dev.darkfactory.operator.config.InfraRetry;
import dev.darkfactory.operator.events.EventRecorder;
import dev.darkfactory.operator.gateway.GatewayCredentials;
import dev.darkfactory.operator.gateway.GatewayUsage;
import dev.darkfactory.operator.gateway.UsageRecords;
import dev.darkfactory.operator.metrics.FactoryMetrics;
import dev.darkfactory.operator.status.ErrorStatus;
import dev.darkfactory.operator.status.StatusPatch;
import dev.darkfactory.operator.util.Durations;
import dev.darkfactory.operator.util.ListPages;
import dev.darkfactory.operator.util.PrunedItemStore;
import dev.darkfactory.operator.workload.NetworkPolicies;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurableReconciler;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Drives a FactoryRun through its attempts. Each reconcile reads the run and its pods, lets the
 * {@link RunStateMachine} decide the next status, creates what the new status needs (inputs and the
 * pod of the current stage, under deterministic names), and deletes only what the status already
 * stored in the API server says is finished. An operator restart at any point therefore neither
 * duplicates a pod nor loses an attempt.
 */
@ControllerConfiguration(name = RunReconciler.NAME, generationAwareEventProcessing = false)
// Reconciler named as well: JOSDK finds the resource type among the directly implemented
// interfaces.
public class RunReconciler implements Reconciler<FactoryRun>, ConfigurableReconciler<FactoryRun> {

    public static final String NAME = "factoryrun";

    /**
     * Index of the run cache: runs by the namespace and name of the intent that controls them. By
     * name, not UID, so that an intent made again under the same name also wakes the runs of the
     * one before, which then end InvalidRun; each run checks the UID itself.
     */
    private static final String BY_INTENT = "byIntent";

    /**
     * Index of the run cache: the runs that are not finished and not being deleted, under one key.
     * Admission reads only these, so its cost grows with the runs in flight and waiting, not with
     * every finished run kept as history.
     */
    private static final String LIVE = "live";

    /**
     * Index of the run cache: the live runs that hold a slot (Running), under one key. A waiting
     * run first counts these: while every slot is taken, it needs to look at no other run.
     */
    private static final String HOLDING = "holding";

    private static final String ADMISSIONS = "admissions";

    /** The longest a running run goes without a look at its pods: see {@link #nextLook}. */
    static final Duration RUNNING_RECHECK = Duration.ofSeconds(30);

    private final FactoryConfig settings;
    private final Duration unschedulableGrace;
    private final Duration queueRecheck;
    private final FactoryMetrics metrics;
    private final Clock clock;
    private final RunStateMachine machine;
    private final StationPods pods;
    private final RunNetworkPolicies networkPolicies;
    private final GatewayCredentials gateway;

    /** Held while a waiting run is reconciled: see {@link #reconcile}. */
    private final Object admission = new Object();

    /**
     * Wakes the waiting runs a freed slot goes to, so they start when it frees rather than at their
     * next look at the queue ({@code darkfactory.queue-recheck}). Replaced each time the controller
     * registers its event sources.
     */
    private volatile SimpleInboundEventSource<FactoryRun> admissions =
            new SimpleInboundEventSource<>(ADMISSIONS);

    @Inject
    public RunReconciler(
            FactoryConfig settings, FactoryMetrics metrics, GatewayCredentials gateway) {
        this(settings, metrics, Clock.systemUTC(), gateway);
    }

    public RunReconciler(FactoryConfig settings, FactoryMetrics metrics) {
        this(settings, metrics, Clock.systemUTC());
    }

    public RunReconciler(FactoryConfig settings, FactoryMetrics metrics, Clock clock) {
        this(settings, metrics, clock, GatewayCredentials.disabled());
    }

    public RunReconciler(
            FactoryConfig settings,
            FactoryMetrics metrics,
            Clock clock,
            GatewayCredentials gateway) {
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
        this.unschedulableGrace = Durations.parse(settings.unschedulableGrace());
        this.queueRecheck = Durations.parse(settings.queueRecheck());
        this.machine = new RunStateMachine(clock, InfraRetry.of(settings), unschedulableGrace);
        this.pods = new StationPods(settings, gateway);
        this.networkPolicies =
                new RunNetworkPolicies(
                        settings.generatorEgress()
                                .map(NetworkPolicies::parseEgressSetting)
                                .orElse(List.of()));
        this.gateway = gateway;
    }

    @Override
    public void updateConfigurationFrom(
            ControllerConfigurationOverrider<FactoryRun> configuration) {
        PrunedItemStore.pruneCacheOf(configuration);
        configuration.withInformerListLimit(ListPages.SIZE);
    }

    @Override
    public List<EventSource<?, FactoryRun>> prepareEventSources(
            EventSourceContext<FactoryRun> context) {
        context.getPrimaryCache()
                .addIndexer(LIVE, run -> RunQueue.live(run) ? List.of(LIVE) : List.of());
        context.getPrimaryCache()
                .addIndexer(HOLDING, run -> holdingSlot(run) ? List.of(HOLDING) : List.of());
        metrics.queueLengthFrom(() -> RunQueue.waiting(liveRuns(context.getPrimaryCache())));
        var podsOfRuns =
                InformerEventSourceConfiguration.from(Pod.class, FactoryRun.class)
                        .withLabelSelector(Labels.MANAGED_SELECTOR + "," + Labels.RUN)
                        .withSecondaryToPrimaryMapper(podToRuns(context))
                        .withItemStore(PrunedItemStore.forRunPods(watched(context)))
                        .withInformerListLimit(ListPages.SIZE)
                        .build();
        // A run learns from its intent's status that it is superseded or that its image failed to
        // roll out: the intent's informer wakes the runs it controls when those change.
        context.getPrimaryCache()
                .addIndexer(
                        BY_INTENT, run -> owner(run).map(id -> List.of(key(id))).orElse(List.of()));
        var intents =
                InformerEventSourceConfiguration.from(SoftwareIntent.class, FactoryRun.class)
                        .withSecondaryToPrimaryMapper(
                                intent ->
                                        context
                                                .getPrimaryCache()
                                                .byIndex(
                                                        BY_INTENT,
                                                        key(ResourceID.fromResource(intent)))
                                                .stream()
                                                .map(ResourceID::fromResource)
                                                .collect(Collectors.toSet()))
                        .withPrimaryToSecondaryMapper(
                                (FactoryRun run) -> owner(run).map(Set::of).orElse(Set.of()))
                        .withOnUpdateFilter(IntentSignals::changed)
                        .withItemStore(PrunedItemStore.forNamespaces(watched(context)))
                        .withInformerListLimit(ListPages.SIZE)
                        .build();
        List<EventSource<?, FactoryRun>> sources = new ArrayList<>();
        sources.add(new InformerEventSource<>(podsOfRuns, context));
        sources.add(new InformerEventSource<>(intents, context));
        // A budget raised or created wakes the runs of its namespace that wait to start.
        var budgets =
                InformerEventSourceConfiguration.from(ModelBudget.class, FactoryRun.class)
                        .withSecondaryToPrimaryMapper(
                                budget ->
                                        context.getPrimaryCache()
                                                .list(
                                                        budget.getMetadata().getNamespace(),
                                                        RunReconciler::notStarted)
                                                .map(ResourceID::fromResource)
                                                .collect(Collectors.toSet()))
                        .withInformerListLimit(ListPages.SIZE)
                        .build();
        sources.add(new InformerEventSource<>(budgets, context));
        admissions = new SimpleInboundEventSource<>(ADMISSIONS);
        sources.add(admissions);
        gateway.usageNamespace()
                .ifPresent(
                        namespace ->
                                sources.add(
                                        new InformerEventSource<>(
                                                usageRecords(namespace), context)));
        return sources;
    }

    private static Set<String> watched(EventSourceContext<FactoryRun> context) {
        return context.getControllerConfiguration().getInformerConfig().getNamespaces();
    }

    /**
     * A pod wakes the run that owns it. A pod whose run is gone or being deleted (the garbage
     * collector removing what the run made) also wakes the waiting runs a freed slot would go to: a
     * deleted run has no reconcile of its own to hand its slot on. Each woken run decides its own
     * admission; one that turns out placeless (superseded, say) waits for the queue's next look.
     */
    private SecondaryToPrimaryMapper<Pod> podToRuns(EventSourceContext<FactoryRun> context) {
        SecondaryToPrimaryMapper<Pod> owners = Mappers.fromOwnerReferences(FactoryRun.class);
        return pod -> {
            Set<ResourceID> runs = owners.toPrimaryResourceIDs(pod);
            var cache = context.getPrimaryCache();
            if (runs.isEmpty() || !RunQueue.gone(ownerRun(pod, cache))) {
                return runs;
            }
            Set<ResourceID> woken = new HashSet<>(runs);
            RunQueue.admitted(liveRuns(cache), caps(), clock.instant(), r -> false).stream()
                    .map(ResourceID::fromResource)
                    .forEach(woken::add);
            return woken;
        };
    }

    /**
     * The run that controls the pod, from the cache; empty when it is gone, including when a new
     * run took its name (as one made again for the same intent generation does).
     */
    private static Optional<FactoryRun> ownerRun(Pod pod, IndexedResourceCache<FactoryRun> cache) {
        return Optional.ofNullable(OwnerReferences.controllerName(pod))
                .flatMap(name -> cache.get(new ResourceID(name, pod.getMetadata().getNamespace())))
                .filter(run -> OwnerReferences.isControlledBy(pod, run));
    }

    /**
     * The gateway's usage ConfigMaps, in its own namespace (where tenants cannot edit them): a
     * run's ConfigMap is named by its UID and annotated with the run's namespace and name, which
     * map it back to the run; a change wakes the run to copy the usage into its status.
     */
    private static InformerEventSourceConfiguration<ConfigMap> usageRecords(String namespace) {
        return InformerEventSourceConfiguration.from(ConfigMap.class, FactoryRun.class)
                .withNamespaces(Set.of(namespace))
                .withFollowControllerNamespacesChanges(false)
                .withLabelSelector(UsageRecords.RUN_UID_LABEL)
                .withSecondaryToPrimaryMapper(
                        map ->
                                UsageRecords.runOf(map)
                                        .map(
                                                run ->
                                                        Set.of(
                                                                new ResourceID(
                                                                        run.name(),
                                                                        run.namespace())))
                                        .orElse(Set.of()))
                .withPrimaryToSecondaryMapper(
                        (FactoryRun run) ->
                                Set.of(
                                        new ResourceID(
                                                UsageRecords.configMapName(
                                                        run.getMetadata().getUid()),
                                                namespace)))
                .withInformerListLimit(ListPages.SIZE)
                .build();
    }

    /**
     * What the gateway metered for the run, from the informer's cache; null when the run does not
     * go through a gateway whose records the operator reads.
     */
    private GatewayUsage meteredUsage(FactoryRun run, Context<FactoryRun> context) {
        if (!gateway.meters(run)) {
            return null;
        }
        return GatewayUsage.of(
                context.getSecondaryResource(ConfigMap.class)
                        .filter(map -> UsageRecords.isOf(map, run))
                        .orElse(null));
    }

    /** A run that has not left the queue yet: only such a run a namespace budget holds. */
    private static boolean notStarted(FactoryRun run) {
        return run.getStatus() == null
                || run.getStatus().phase == null
                || run.getStatus().phase == RunPhase.Queued;
    }

    /**
     * Why the namespace's budgets keep new runs from starting now, or null; decided once per
     * namespace and reconcile (see {@link NamespaceBudgetDecision}).
     */
    @SuppressWarnings("unchecked")
    private String budgetHold(
            String namespace, Context<FactoryRun> context, Map<String, Optional<String>> decided) {
        return decided.computeIfAbsent(
                        namespace,
                        ns -> {
                            var budgets =
                                    context.eventSourceRetriever()
                                            .getEventSourceFor(ModelBudget.class);
                            List<ModelBudget> inNamespace =
                                    ((InformerEventSource<ModelBudget, FactoryRun>) budgets)
                                            .list(ns)
                                            .toList();
                            if (inNamespace.isEmpty()) {
                                return Optional.empty();
                            }
                            List<FactoryRun> runs = namespaceRuns(ns, context);
                            Instant now = clock.instant();
                            return NamespaceBudgetDecision.hold(
                                    inNamespace.stream()
                                            .map(
                                                    b ->
                                                            NamespaceBudgetDecision.State.of(
                                                                    b, runs, now))
                                            .toList());
                        })
                .orElse(null);
    }

    private static String key(ResourceID id) {
        return id.getNamespace().orElse("") + "/" + id.getName();
    }

    private static Optional<ResourceID> owner(FactoryRun run) {
        return Optional.ofNullable(OwnerReferences.controllerName(run))
                .map(name -> new ResourceID(name, run.getMetadata().getNamespace()));
    }

    /**
     * The run's intent from the informer's cache, or null when it is gone or no longer the run's
     * controller.
     */
    private static SoftwareIntent intentOf(FactoryRun run, Context<FactoryRun> context) {
        return context.getSecondaryResource(SoftwareIntent.class)
                .filter(intent -> OwnerReferences.isControlledBy(run, intent))
                .orElse(null);
    }

    /** Whether a run's intent has moved on to another run, read from the informers' caches. */
    private static boolean superseded(
            FactoryRun run,
            InformerEventSource<SoftwareIntent, FactoryRun> intents,
            Context<FactoryRun> context) {
        return owner(run)
                .flatMap(intents::get)
                .map(
                        intent ->
                                IntentSignals.read(
                                                        run,
                                                        intent,
                                                        name -> sameNamespace(run, name, context))
                                                .supersededBy()
                                        != null)
                .orElse(false);
    }

    private static FactoryRun sameNamespace(
            FactoryRun run, String name, Context<FactoryRun> context) {
        return context.getPrimaryCache()
                .get(new ResourceID(name, run.getMetadata().getNamespace()))
                .orElse(null);
    }

    /**
     * Whether a run may go on (see {@link RunOwnership#ofRun}). A finished run is left as it is; a
     * started one goes on unless it turns out invalid (its intent was deleted and made again under
     * the same name); one that has not started waits until its intent names it.
     */
    private static RunOwnership.Decision ownership(
            FactoryRun run, InformerEventSource<SoftwareIntent, FactoryRun> intents) {
        RunOwnership.Decision decision =
                RunOwnership.ofRun(run, owner(run).flatMap(intents::get).orElse(null));
        var phase = run.getStatus() == null ? null : run.getStatus().phase;
        boolean started = phase != null;
        if (phase != null && phase.isFinal()
                || started && decision.verdict() == RunOwnership.Verdict.WAIT) {
            return new RunOwnership.Decision(RunOwnership.Verdict.RUN, null);
        }
        return decision;
    }

    @Override
    public UpdateControl<FactoryRun> reconcile(FactoryRun run, Context<FactoryRun> context) {
        // Only a run that waits for a slot reads the queue.
        if (!RunQueue.waitsForSlot(run)) {
            return reconcileNow(run, context, List.of());
        }
        var cache = context.getPrimaryCache();
        // Every slot taken: the run waits whatever the order, and no other run can change that.
        // Most looks of a long queue end here, at the cost of counting the runs in flight. A run
        // that gives its slot up wakes the runs it goes to, so none waits past a free slot. Runs
        // are looked up as last written only when the index alone says every slot may be taken.
        List<FactoryRun> indexedHolding = cache.byIndex(HOLDING, HOLDING);
        if (!RunQueue.slotFree(indexedHolding.size(), caps())) {
            List<FactoryRun> holding = asWritten(cache, indexedHolding, RunReconciler::holdingSlot);
            if (!RunQueue.slotFree(holding.size(), caps())) {
                return reconcileNow(
                        run, context, Stream.concat(holding.stream(), Stream.of(run)).toList());
            }
        }
        List<FactoryRun> indexed = cache.byIndex(LIVE, LIVE);
        if (RunQueue.contended(indexed.size(), caps())) {
            // Runs reconciled at once would each decide admission from a snapshot without the
            // others' decisions and together exceed the cap (seen: 4 of 2 in flight when 200 runs
            // arrived at once). One admission at a time, each seeing the statuses written before.
            synchronized (admission) {
                return reconcileNow(run, context, liveRuns(cache));
            }
        }
        // Uncontended, every waiting run gets a slot whatever the order, so a burst under a high
        // cap is not made to create its pods one run at a time, and the queue looks at no other
        // run: the index's copies are only counted, and those in flight named in a Queued Event.
        return reconcileNow(run, context, indexed);
    }

    /**
     * @param liveRuns the live runs when the run waits for a slot (when every slot is taken, those
     *     holding one and the run itself: no other can change that it waits), otherwise none
     */
    private UpdateControl<FactoryRun> reconcileNow(
            FactoryRun run, Context<FactoryRun> context, List<FactoryRun> liveRuns) {
        KubernetesClient client = context.getClient();
        Map<String, Pod> observedPods = observedPods(run, context);
        stopFinishedPods(run, observedPods, client);

        @SuppressWarnings("unchecked")
        var intents =
                (InformerEventSource<SoftwareIntent, FactoryRun>)
                        context.eventSourceRetriever().getEventSourceFor(SoftwareIntent.class);
        // Ownership is verified, never assumed: a run no live intent made never runs a pod, and
        // one its intent has not named yet waits without holding a place in the queue.
        RunOwnership.Decision ownership = ownership(run, intents);
        if (ownership.verdict() == RunOwnership.Verdict.INVALID) {
            return fail(run, machine.invalid(run, ownership.message()), context);
        }
        if (ownership.verdict() == RunOwnership.Verdict.WAIT
                && !superseded(run, intents, context)) {
            return UpdateControl.noUpdate();
        }
        Map<String, Optional<String>> holds = new HashMap<>();
        String budgetHold =
                notStarted(run)
                        ? budgetHold(run.getMetadata().getNamespace(), context, holds)
                        : null;
        RunQueue.Caps caps = caps();
        // Runs that hold no place in the queue: superseded, not (yet) ours to run, or held by a
        // namespace budget, which takes no slot from other namespaces.
        Predicate<FactoryRun> placeless =
                r ->
                        superseded(r, intents, context)
                                || ownership(r, intents).verdict() != RunOwnership.Verdict.RUN
                                || notStarted(r)
                                        && budgetHold(
                                                        r.getMetadata().getNamespace(),
                                                        context,
                                                        holds)
                                                != null;
        var observed =
                new RunStateMachine.Observed(
                        observedPods,
                        RunQueue.waitsForSlot(run)
                                && RunQueue.admits(run, liveRuns, caps, clock.instant(), placeless),
                        (int) RunQueue.running(liveRuns),
                        settings.maxConcurrentRuns(),
                        IntentSignals.read(
                                run,
                                intentOf(run, context),
                                name -> sameNamespace(run, name, context)),
                        meteredUsage(run, context),
                        budgetHold);
        RunStateMachine.Step planned =
                missingVolume(run, machine.next(run, observed), observedPods, client);
        RunStateMachine.Step step;
        try {
            step = createWhatTheStageNeeds(run, planned, context);
        } catch (RunObjects.ForeignObjectException e) {
            return fail(run, machine.foreignObject(run, planned.status(), e.getMessage()), context);
        }
        FactoryRunStatus next = step.status();

        if (!StatusPatch.same(run.getStatus(), next)) {
            metrics.runChanged(run.getStatus(), next);
            // Written and cached before anything else happens: the next reconcile sees this
            // status, so it neither creates a pod again nor announces a step twice.
            PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(
                    run, StatusPatch.statusOnly(run, next, FactoryRun::new), context);
            // Counted once stored, so never twice (see FactoryMetrics#usageRecorded).
            metrics.usageRecorded(
                    run.getMetadata().getNamespace(),
                    run.getSpec().generator.className,
                    run.getStatus(),
                    next);
            // Now that the verdicts are stored, the pods they make finished can go.
            stopFinishedPods(withStatus(run, next), observedPods, client);
        }
        if (RunQueue.holdsSlot(run) && next.phase != RunPhase.Running) {
            List<FactoryRun> runs =
                    withRun(liveRuns(context.getPrimaryCache()), withStatus(run, next));
            RunQueue.admitted(runs, caps, clock.instant(), placeless)
                    .forEach(r -> admissions.propagateEvent(ResourceID.fromResource(r)));
        }

        EventRecorder events = new EventRecorder(client);
        step.events()
                .forEach(
                        e -> {
                            if (e.warning()) {
                                events.warning(run, e.reason(), e.message());
                            } else {
                                events.normal(run, e.reason(), e.message());
                            }
                        });

        UpdateControl<FactoryRun> control = UpdateControl.noUpdate();
        if (next.phase == RunPhase.Blocked) {
            return control.rescheduleAfter(untilRetry(next));
        }
        if (next.phase == RunPhase.Queued) {
            return control.rescheduleAfter(queueRecheck);
        }
        if (next.phase != RunPhase.Running) {
            return control;
        }
        // An unschedulable pod changes nothing while its grace runs: look again when it ends.
        Optional<Duration> graceLeft =
                stagePod(next, observedPods)
                        .flatMap(
                                pod ->
                                        InfraFailures.unschedulableWait(
                                                pod, clock.instant(), unschedulableGrace));
        return control.rescheduleAfter(nextLook(graceLeft));
    }

    /**
     * When a running run looks again without an event: just after an unschedulable pod's grace
     * ends, and otherwise after {@link #RUNNING_RECHECK} at the latest. Pod events wake it sooner;
     * the recheck is the safety net for one the watch never delivered (seen once under load: a
     * replacement pod's Unschedulable never woke its run, which then waited for ever).
     */
    static Duration nextLook(Optional<Duration> graceLeft) {
        return graceLeft
                .map(left -> left.plusSeconds(1))
                .filter(look -> look.compareTo(RUNNING_RECHECK) < 0)
                .orElse(RUNNING_RECHECK);
    }

    /** The runs with {@code changed} in place of its stored self. */
    private static List<FactoryRun> withRun(List<FactoryRun> runs, FactoryRun changed) {
        String uid = changed.getMetadata().getUid();
        return runs.stream().map(r -> r.getMetadata().getUid().equals(uid) ? changed : r).toList();
    }

    /**
     * The stage's pod that has not started because a Secret or ConfigMap one of its volumes names
     * does not exist blocks the run as an infrastructure failure (ConfigMissing), as the API server
     * refusing it would: the pod shows nothing but containers waiting to be created.
     */
    private RunStateMachine.Step missingVolume(
            FactoryRun run,
            RunStateMachine.Step planned,
            Map<String, Pod> observedPods,
            KubernetesClient client) {
        if (planned.status().phase != RunPhase.Running) {
            return planned;
        }
        String namespace = run.getMetadata().getNamespace();
        return stagePod(planned.status(), observedPods)
                .flatMap(
                        pod ->
                                InfraFailures.missingVolume(
                                        pod, (kind, name) -> exists(client, namespace, kind, name)))
                .map(verdict -> machine.refused(run, planned.status(), verdict))
                .orElse(planned);
    }

    /** The pod of the current attempt's stage, if it exists. */
    private static Optional<Pod> stagePod(FactoryRunStatus status, Map<String, Pod> observedPods) {
        if (status.attempts == null || status.attempts.isEmpty()) {
            return Optional.empty();
        }
        AttemptStatus attempt = status.attempts.get(status.attempts.size() - 1);
        String name =
                switch (attempt.phase == null ? AttemptPhase.Generating : attempt.phase) {
                    case Generating -> attempt.generatorPod;
                    case Testing -> attempt.testerPod;
                    default -> null;
                };
        return Optional.ofNullable(name == null ? null : observedPods.get(name));
    }

    /** Whether the Secret or ConfigMap exists; one the operator may not read counts as there. */
    private static boolean exists(
            KubernetesClient client, String namespace, String kind, String name) {
        try {
            return "Secret".equals(kind)
                    ? client.secrets().inNamespace(namespace).withName(name).get() != null
                    : client.configMaps().inNamespace(namespace).withName(name).get() != null;
        } catch (KubernetesClientException e) {
            return true;
        }
    }

    private RunQueue.Caps caps() {
        return new RunQueue.Caps(
                settings.maxConcurrentRuns(), settings.maxConcurrentRunsPerNamespace());
    }

    /**
     * The runs an index of the cache gave, each as this operator last wrote it, that {@code still}
     * holds for: the informer's index lags behind the statuses just written, which the primary
     * cache's lookup by id already returns, and admission must count every run admitted before. A
     * run leaves the live index only once finished or being deleted, never to come back, so a run
     * just written as finished is dropped here too.
     */
    private static List<FactoryRun> asWritten(
            IndexedResourceCache<FactoryRun> cache,
            List<FactoryRun> indexed,
            Predicate<FactoryRun> still) {
        return indexed.stream()
                .map(r -> cache.get(ResourceID.fromResource(r)).orElse(r))
                .filter(still)
                .toList();
    }

    private static List<FactoryRun> liveRuns(IndexedResourceCache<FactoryRun> cache) {
        return asWritten(cache, cache.byIndex(LIVE, LIVE), RunQueue::live);
    }

    /** Live and Running: one of the slots is this run's. */
    private static boolean holdingSlot(FactoryRun run) {
        return RunQueue.live(run) && RunQueue.holdsSlot(run);
    }

    /** The namespace's runs, finished ones too, each as this operator last wrote it. */
    private static List<FactoryRun> namespaceRuns(String namespace, Context<FactoryRun> context) {
        var cache = context.getPrimaryCache();
        return cache.list(namespace)
                .map(r -> cache.get(ResourceID.fromResource(r)).orElse(r))
                .toList();
    }

    /** Ends the run with {@code step}'s status and Events; nothing is created. */
    private UpdateControl<FactoryRun> fail(
            FactoryRun run, RunStateMachine.Step step, Context<FactoryRun> context) {
        metrics.runChanged(run.getStatus(), step.status());
        PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(
                run, StatusPatch.statusOnly(run, step.status(), FactoryRun::new), context);
        EventRecorder events = new EventRecorder(context.getClient());
        step.events().forEach(e -> events.warning(run, e.reason(), e.message()));
        return UpdateControl.noUpdate();
    }

    /** A Blocked run wakes at its retry time, then like a queued run until it gets a slot. */
    private Duration untilRetry(FactoryRunStatus status) {
        Duration left =
                status.retryAt == null
                        ? Duration.ZERO
                        : Duration.between(clock.instant(), Instant.parse(status.retryAt));
        return left.compareTo(Duration.ofSeconds(1)) < 0
                ? (left.isNegative() || left.isZero() ? queueRecheck : Duration.ofSeconds(1))
                : left;
    }

    @Override
    public ErrorStatusUpdateControl<FactoryRun> updateErrorStatus(
            FactoryRun run, Context<FactoryRun> context, Exception e) {
        metrics.reconcileError(NAME, e);
        ErrorStatus.report(
                context.getClient(),
                run,
                run.getStatus() == null ? null : run.getStatus().conditions,
                clock,
                e,
                FactoryRun::new,
                conditions -> {
                    FactoryRunStatus status = new FactoryRunStatus();
                    status.attempts = null;
                    status.conditions = conditions;
                    return status;
                });
        return ErrorStatusUpdateControl.defaultErrorProcessing();
    }

    /**
     * The run's pods by name, from the informer's cache: pods this operator created are in it at
     * once (see {@link #createWhatTheStageNeeds}), so a pod missing here is gone. Only the pods the
     * run controls by UID: the informer maps pods to runs by name, and the pods an earlier run of
     * the same name left (deleted, made again by its intent) are that run's, never this one's
     * verdicts or losses; the garbage collector removes them.
     */
    private static Map<String, Pod> observedPods(FactoryRun run, Context<FactoryRun> context) {
        Map<String, Pod> byName = new HashMap<>();
        context.getSecondaryResources(Pod.class).stream()
                .filter(p -> OwnerReferences.isControlledBy(p, run))
                .forEach(p -> byName.put(p.getMetadata().getName(), p));
        return byName;
    }

    /**
     * Stops the pods that the stored status says are done with: the tester pod of an attempt with a
     * verdict (its app would run on), and any pod still active once the run ended. A started pod is
     * stopped, not deleted: its deadline drops to one second, the kubelet ends its containers, and
     * their logs stay readable for the attempt's logs command until the run goes. A pod that never
     * started (unscheduled) has no deadline clock and no logs, so it is deleted.
     */
    private static void stopFinishedPods(
            FactoryRun run, Map<String, Pod> observedPods, KubernetesClient client) {
        FactoryRunStatus stored = run.getStatus();
        if (stored == null) {
            return;
        }
        boolean runEnded = stored.phase != null && stored.phase.isFinal();
        for (AttemptStatus attempt : stored.attempts) {
            for (Pod pod : attemptPods(attempt, observedPods)) {
                String name = pod.getMetadata().getName();
                boolean finishedTester = Trials.finished(attempt, name);
                boolean lost = attempt.lostPods != null && attempt.lostPods.contains(name);
                if (lost && pod.getMetadata().getDeletionTimestamp() == null) {
                    // Lost to the infrastructure (never started, evicted): nothing worth keeping.
                    client.pods()
                            .inNamespace(pod.getMetadata().getNamespace())
                            .withName(name)
                            .delete();
                } else if ((finishedTester || runEnded) && PodStop.needed(pod)) {
                    PodStop.stop(client, pod);
                }
            }
        }
    }

    /** The pods of an attempt that exist: its stages' pods and those lost to the infrastructure. */
    private static List<Pod> attemptPods(AttemptStatus attempt, Map<String, Pod> observedPods) {
        List<String> names = new ArrayList<>();
        names.add(attempt.generatorPod);
        names.addAll(Trials.pods(attempt));
        if (attempt.lostPods != null) {
            names.addAll(attempt.lostPods);
        }
        return names.stream()
                .filter(Objects::nonNull)
                .map(observedPods::get)
                .filter(Objects::nonNull)
                .toList();
    }

    /**
     * Creates the inputs and pod the current stage needs, and records the pod's name in the status.
     * A created pod goes into the pod informer's cache at once, so the next reconcile finds it even
     * before the informer's watch delivers it. An object the API server refuses (a ResourceQuota, a
     * LimitRange) blocks the run as an infrastructure failure, and so does one that an earlier run
     * of the same name left under the name (until the garbage collector deletes it).
     */
    private RunStateMachine.Step createWhatTheStageNeeds(
            FactoryRun run, RunStateMachine.Step step, Context<FactoryRun> context) {
        KubernetesClient client = context.getClient();
        FactoryRunStatus next = step.status();
        if (next.phase != RunPhase.Running) {
            return step;
        }
        AttemptStatus attempt = next.attempts.get(next.attempts.size() - 1);
        FactoryRun decided = withStatus(run, next);
        int lost = attempt.lostPods == null ? 0 : attempt.lostPods.size();
        HasMetadata creating = null;
        try {
            if (attempt.phase == AttemptPhase.Generating && attempt.generatorPod == null) {
                creating = RunInputs.attemptInput(decided, attempt.number);
                createOrKeep(client, run, creating);
                networkPolicies.beforeGeneratorPod(
                        client, run.getMetadata().getNamespace(), run.getSpec().generator.spec);
                Pod pod = pods.generatorPod(decided, attempt.number);
                pod.getMetadata().setName(RunNames.replacement(pod.getMetadata().getName(), lost));
                creating = pod;
                remember(run, createOrKeep(client, run, pod), context);
                attempt.generatorPod = pod.getMetadata().getName();
            } else if (attempt.phase == AttemptPhase.Testing
                    && !Trials.toStart(attempt, settings.maxParallelTrials()).isEmpty()) {
                creating = RunInputs.visibleChecks(decided);
                createOrKeep(client, run, creating);
                creating = RunInputs.heldOutChecks(decided);
                createOrKeep(client, run, creating);
                networkPolicies.beforeTesterPod(client, run.getMetadata().getNamespace());
                // One pod per trial, so every trial meets a freshly started app (docs/gate.md).
                for (var trial : Trials.toStart(attempt, settings.maxParallelTrials())) {
                    Pod pod = pods.testerPod(decided, attempt, trial.number);
                    pod.getMetadata()
                            .setName(RunNames.replacement(pod.getMetadata().getName(), lost));
                    creating = pod;
                    remember(run, createOrKeep(client, run, pod), context);
                    Trials.assign(attempt, trial, pod.getMetadata().getName());
                }
            }
            return step;
        } catch (KubernetesClientException e) {
            HasMetadata refusedObject = creating;
            return blocked(run, step, InfraFailures.refused(refusedObject, e).orElseThrow(() -> e));
        } catch (RunObjects.LeftoverObjectException e) {
            return blocked(run, step, InfraFailures.leftover(e.getMessage()));
        }
    }

    /** The step, but blocked by an infrastructure failure met while making what it needs. */
    private RunStateMachine.Step blocked(
            FactoryRun run, RunStateMachine.Step step, PodVerdict failure) {
        RunStateMachine.Step blocked = machine.refused(run, step.status(), failure);
        List<RunEvent> events = new ArrayList<>(step.events());
        events.addAll(blocked.events());
        return new RunStateMachine.Step(blocked.status(), events);
    }

    /** See {@link RunObjects#createOrKeep}. */
    private static <T extends HasMetadata> T createOrKeep(
            KubernetesClient client, FactoryRun run, T object) {
        return RunObjects.createOrKeep(
                run,
                object,
                () -> client.resource(object).create(),
                () -> client.resource(object).get());
    }

    private static void remember(FactoryRun run, Pod created, Context<FactoryRun> context) {
        if (created != null) {
            @SuppressWarnings("unchecked")
            var podsOfRuns =
                    (InformerEventSource<Pod, FactoryRun>)
                            context.eventSourceRetriever().getEventSourceFor(Pod.class);
            podsOfRuns.handleRecentResourceCreate(ResourceID.fromResource(run), created);
        }
    }

    private static FactoryRun withStatus(FactoryRun run, FactoryRunStatus status) {
        FactoryRun copy = new FactoryRun();
        copy.setMetadata(run.getMetadata());
        copy.setSpec(run.getSpec());
        copy.setStatus(status);
        return copy;
    }
}
