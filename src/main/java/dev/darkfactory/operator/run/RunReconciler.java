package dev.darkfactory.operator.run;

import dev.darkfactory.operator.api.v1alpha1.AttemptPhase;
import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunStatus;
import dev.darkfactory.operator.api.v1alpha1.Labels;
import dev.darkfactory.operator.api.v1alpha1.OwnerReferences;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.config.FactorySettings;
import dev.darkfactory.operator.events.EventRecorder;
import dev.darkfactory.operator.gateway.GatewayCredentials;
import dev.darkfactory.operator.metrics.FactoryMetrics;
import dev.darkfactory.operator.status.StatusPatch;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Drives a FactoryRun through its attempts. Each reconcile reads the run and its pods, lets the
 * {@link RunStateMachine} decide the next status, creates what the new status needs (inputs and the
 * pod of the current stage, under deterministic names), and deletes only what the status already
 * stored in the API server says is finished. An operator restart at any point therefore neither
 * duplicates a pod nor loses an attempt.
 */
@ControllerConfiguration(name = RunReconciler.NAME, generationAwareEventProcessing = false)
public class RunReconciler implements Reconciler<FactoryRun> {

    public static final String NAME = "factoryrun";

    /** Index of the run cache: runs by the UID of the intent that controls them. */
    private static final String BY_INTENT_UID = "byIntentUid";

    private static final Duration QUEUE_POLL = Duration.ofSeconds(5);

    private final FactorySettings settings;
    private final FactoryMetrics metrics;
    private final RunStateMachine machine;
    private final StationPods pods;

    @Inject
    public RunReconciler(
            FactorySettings settings, FactoryMetrics metrics, GatewayCredentials gateway) {
        this(settings, metrics, Clock.systemUTC(), gateway);
    }

    public RunReconciler(FactorySettings settings, FactoryMetrics metrics) {
        this(settings, metrics, Clock.systemUTC());
    }

    public RunReconciler(FactorySettings settings, FactoryMetrics metrics, Clock clock) {
        this(settings, metrics, clock, GatewayCredentials.disabled());
    }

    public RunReconciler(
            FactorySettings settings,
            FactoryMetrics metrics,
            Clock clock,
            GatewayCredentials gateway) {
        this.settings = settings;
        this.metrics = metrics;
        this.machine = new RunStateMachine(clock);
        this.pods = new StationPods(settings, gateway);
    }

    @Override
    public List<EventSource<?, FactoryRun>> prepareEventSources(
            EventSourceContext<FactoryRun> context) {
        var podsOfRuns =
                InformerEventSourceConfiguration.from(Pod.class, FactoryRun.class)
                        .withLabelSelector(Labels.MANAGED_SELECTOR + "," + Labels.RUN)
                        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(FactoryRun.class))
                        .build();
        // A run learns from its intent's status that it is superseded or that its image failed to
        // roll out: the intent's informer wakes the runs it controls (by UID) when those change.
        context.getPrimaryCache()
                .addIndexer(
                        BY_INTENT_UID,
                        run -> {
                            String uid = OwnerReferences.controllerUid(run);
                            return uid == null ? List.of() : List.of(uid);
                        });
        var intents =
                InformerEventSourceConfiguration.from(SoftwareIntent.class, FactoryRun.class)
                        .withSecondaryToPrimaryMapper(
                                intent ->
                                        context
                                                .getPrimaryCache()
                                                .byIndex(
                                                        BY_INTENT_UID,
                                                        intent.getMetadata().getUid())
                                                .stream()
                                                .map(ResourceID::fromResource)
                                                .collect(Collectors.toSet()))
                        .withPrimaryToSecondaryMapper(
                                (FactoryRun run) -> owner(run).map(Set::of).orElse(Set.of()))
                        .withOnUpdateFilter(IntentSignals::changed)
                        .build();
        return List.of(
                new InformerEventSource<>(podsOfRuns, context),
                new InformerEventSource<>(intents, context));
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

    @Override
    public UpdateControl<FactoryRun> reconcile(FactoryRun run, Context<FactoryRun> context) {
        KubernetesClient client = context.getClient();
        Map<String, Pod> observedPods = observedPods(context);
        deleteFinishedPods(run, observedPods, client);

        List<FactoryRun> allRuns = context.getPrimaryCache().list().toList();
        @SuppressWarnings("unchecked")
        var intents =
                (InformerEventSource<SoftwareIntent, FactoryRun>)
                        context.eventSourceRetriever().getEventSourceFor(SoftwareIntent.class);
        var observed =
                new RunStateMachine.Observed(
                        observedPods,
                        RunQueue.admits(
                                run,
                                allRuns,
                                settings.maxConcurrentRuns(),
                                r -> superseded(r, intents, context)),
                        (int) RunQueue.running(allRuns),
                        settings.maxConcurrentRuns(),
                        IntentSignals.read(
                                run,
                                intentOf(run, context),
                                name -> sameNamespace(run, name, context)));
        RunStateMachine.Step step = machine.next(run, observed);
        FactoryRunStatus next = step.status();
        createWhatTheStageNeeds(run, next, context);

        metrics.queueLength(RunQueue.waiting(allRuns));
        if (!StatusPatch.same(run.getStatus(), next)) {
            metrics.runChanged(run.getStatus(), next);
            // Written and cached before anything else happens: the next reconcile sees this
            // status, so it neither creates a pod again nor announces a step twice.
            PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(
                    run, StatusPatch.statusOnly(run, next, FactoryRun::new), context);
            // Now that the verdicts are stored, the pods they make finished can go.
            deleteFinishedPods(withStatus(run, next), observedPods, client);
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
        return next.phase == RunPhase.Queued ? control.rescheduleAfter(QUEUE_POLL) : control;
    }

    @Override
    public ErrorStatusUpdateControl<FactoryRun> updateErrorStatus(
            FactoryRun run, Context<FactoryRun> context, Exception e) {
        metrics.reconcileError(NAME, e);
        return ErrorStatusUpdateControl.defaultErrorProcessing();
    }

    /**
     * The run's pods by name, from the informer's cache: pods this operator created are in it at
     * once (see {@link #createWhatTheStageNeeds}), so a pod missing here is gone.
     */
    private static Map<String, Pod> observedPods(Context<FactoryRun> context) {
        Map<String, Pod> byName = new HashMap<>();
        context.getSecondaryResources(Pod.class)
                .forEach(p -> byName.put(p.getMetadata().getName(), p));
        return byName;
    }

    /**
     * Deletes the pods that the stored status says are done with: the tester pod of an attempt with
     * a verdict (its app would run on), and any pod still active once the run ended. Finished
     * generator pods stay for their logs until the run goes.
     */
    private static void deleteFinishedPods(
            FactoryRun run, Map<String, Pod> observedPods, KubernetesClient client) {
        FactoryRunStatus stored = run.getStatus();
        if (stored == null) {
            return;
        }
        boolean runEnded = stored.phase != null && stored.phase.isFinal();
        for (AttemptStatus attempt : stored.attempts) {
            boolean decided =
                    attempt.phase == AttemptPhase.Passed || attempt.phase == AttemptPhase.Failed;
            for (String name : new String[] {attempt.generatorPod, attempt.testerPod}) {
                Pod pod = name == null ? null : observedPods.get(name);
                boolean finishedTester = decided && name != null && name.equals(attempt.testerPod);
                if (pod != null
                        && (finishedTester || runEnded && active(pod))
                        && pod.getMetadata().getDeletionTimestamp() == null) {
                    client.pods()
                            .inNamespace(pod.getMetadata().getNamespace())
                            .withName(name)
                            .delete();
                }
            }
        }
    }

    private static boolean active(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    /**
     * Creates the inputs and pod the current stage needs, and records the pod's name in the status.
     * A created pod goes into the pod informer's cache at once, so the next reconcile finds it even
     * before the informer's watch delivers it.
     */
    private void createWhatTheStageNeeds(
            FactoryRun run, FactoryRunStatus next, Context<FactoryRun> context) {
        KubernetesClient client = context.getClient();
        if (next.phase != RunPhase.Running) {
            return;
        }
        AttemptStatus attempt = next.attempts.get(next.attempts.size() - 1);
        FactoryRun decided = withStatus(run, next);
        if (attempt.phase == AttemptPhase.Generating && attempt.generatorPod == null) {
            createOrKeep(client, RunInputs.attemptInput(decided, attempt.number));
            Pod pod = pods.generatorPod(decided, attempt.number);
            remember(run, createOrKeep(client, pod), context);
            attempt.generatorPod = pod.getMetadata().getName();
        } else if (attempt.phase == AttemptPhase.Testing && attempt.testerPod == null) {
            createOrKeep(client, RunInputs.visibleChecks(decided));
            createOrKeep(client, RunInputs.heldOutChecks(decided));
            Pod pod = pods.testerPod(decided, attempt);
            remember(run, createOrKeep(client, pod), context);
            attempt.testerPod = pod.getMetadata().getName();
        }
    }

    /**
     * Creates an object under its deterministic name; one that exists already was made by an
     * earlier reconcile. Returns the created object, or null when it existed.
     */
    private static <T extends HasMetadata> T createOrKeep(KubernetesClient client, T object) {
        try {
            return client.resource(object).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return null;
        }
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
