package dev.darkfactory.operator.intent;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.GeneratorClass;
import dev.darkfactory.operator.api.v1alpha1.IntentPhase;
import dev.darkfactory.operator.api.v1alpha1.Labels;
import dev.darkfactory.operator.api.v1alpha1.OwnerReferences;
import dev.darkfactory.operator.api.v1alpha1.RolloutFailure;
import dev.darkfactory.operator.api.v1alpha1.RolloutStatus;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentStatus;
import dev.darkfactory.operator.config.FactoryConfig;
import dev.darkfactory.operator.config.PodBounds;
import dev.darkfactory.operator.events.EventRecorder;
import dev.darkfactory.operator.metrics.FactoryMetrics;
import dev.darkfactory.operator.rollout.AppPodDiagnosis;
import dev.darkfactory.operator.rollout.DeploymentHealth;
import dev.darkfactory.operator.rollout.PromotionPlanner;
import dev.darkfactory.operator.rollout.ServingDecision;
import dev.darkfactory.operator.rollout.ServingDeployment;
import dev.darkfactory.operator.rollout.ServingNetworkPolicy;
import dev.darkfactory.operator.rollout.ServingOwnership;
import dev.darkfactory.operator.rollout.ServingResources;
import dev.darkfactory.operator.rollout.ServingService;
import dev.darkfactory.operator.status.ErrorStatus;
import dev.darkfactory.operator.status.StatusAggregator;
import dev.darkfactory.operator.status.StatusPatch;
import dev.darkfactory.operator.util.Durations;
import dev.darkfactory.operator.util.ListPages;
import dev.darkfactory.operator.util.PrunedItemStore;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurableReconciler;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reconciles a SoftwareIntent, as a chain of steps: validate what the schema cannot (the
 * GeneratorClass, and the cross-field rules older API servers do not enforce); plan the run the
 * intent needs now (create it, trim the history); serve (the rollout decision, then the workflow of
 * the app NetworkPolicy, Deployment and Service dependents); report the latest run and what serves
 * in status and Events. Runs learn from that status that they are superseded or that their image
 * failed to roll out. It never writes the spec.
 */
@ControllerConfiguration(name = IntentReconciler.NAME, generationAwareEventProcessing = false)
@Workflow(
        explicitInvocation = true,
        dependents = {
            @Dependent(
                    name = IntentReconciler.NETWORK_POLICY,
                    type = ServingNetworkPolicy.class,
                    reconcilePrecondition = ServingDecision.class),
            @Dependent(
                    name = IntentReconciler.DEPLOYMENT,
                    type = ServingDeployment.class,
                    reconcilePrecondition = ServingDecision.class,
                    dependsOn = IntentReconciler.NETWORK_POLICY),
            @Dependent(
                    name = IntentReconciler.SERVICE,
                    type = ServingService.class,
                    reconcilePrecondition = ServingDecision.Selected.class,
                    dependsOn = IntentReconciler.DEPLOYMENT)
        })
// Reconciler named as well: JOSDK finds the resource type among the directly implemented
// interfaces.
public class IntentReconciler
        implements Reconciler<SoftwareIntent>, ConfigurableReconciler<SoftwareIntent> {

    public static final String NAME = "softwareintent";
    static final String NETWORK_POLICY = "networkpolicy";
    static final String DEPLOYMENT = "deployment";
    static final String SERVICE = "service";
    private static final Duration ROLLOUT_POLL = Duration.ofSeconds(5);

    private final FactoryConfig settings;
    private final PodBounds podBounds;
    private final FactoryMetrics metrics;
    private final IntentStatusBuilder statuses;
    private final CandidateVerification verification;
    private final Duration drain;
    private final Clock clock;

    @Inject
    public IntentReconciler(FactoryConfig settings, FactoryMetrics metrics) {
        this(settings, metrics, Clock.systemUTC());
    }

    public IntentReconciler(FactoryConfig settings, FactoryMetrics metrics, Clock clock) {
        this.settings = settings;
        this.podBounds = PodBounds.of(settings);
        this.metrics = metrics;
        this.statuses = new IntentStatusBuilder(clock);
        this.verification = new CandidateVerification(settings);
        this.drain = Durations.parse(settings.serveDrain());
        this.clock = clock;
    }

    @Override
    public void updateConfigurationFrom(
            ControllerConfigurationOverrider<SoftwareIntent> configuration) {
        PrunedItemStore.pruneCacheOf(configuration);
        configuration.withInformerListLimit(ListPages.SIZE);
    }

    @Override
    public List<EventSource<?, SoftwareIntent>> prepareEventSources(
            EventSourceContext<SoftwareIntent> context) {
        // A GeneratorClass that appears, changes or goes away affects the intents that name it,
        // and, when it is (or was) the default, those that name none.
        var classes =
                InformerEventSourceConfiguration.from(GeneratorClass.class, SoftwareIntent.class)
                        .withSecondaryToPrimaryMapper(
                                generatorClass -> intentsUsing(generatorClass, context))
                        .withInformerListLimit(ListPages.SIZE)
                        .build();
        // Runs and verifier pods are kept without managedFields (see PrunedItemStore).
        Set<String> watched =
                context.getControllerConfiguration().getInformerConfig().getNamespaces();
        var runs =
                InformerEventSourceConfiguration.from(FactoryRun.class, SoftwareIntent.class)
                        .withSecondaryToPrimaryMapper(
                                Mappers.fromOwnerReferences(SoftwareIntent.class))
                        .withItemStore(PrunedItemStore.forNamespaces(watched))
                        .withInformerListLimit(ListPages.SIZE)
                        .build();
        // The pods that verify a candidate revision: the intent's, as it decides the promotion.
        var verifiers =
                InformerEventSourceConfiguration.from(Pod.class, SoftwareIntent.class)
                        .withLabelSelector(Labels.ROLE + "=" + Labels.VERIFIER)
                        .withSecondaryToPrimaryMapper(
                                Mappers.fromOwnerReferences(SoftwareIntent.class))
                        .withItemStore(PrunedItemStore.forNamespaces(watched))
                        .withInformerListLimit(ListPages.SIZE)
                        .build();
        // The Deployments and Services are watched by their dependents (see @Workflow).
        return List.of(
                new InformerEventSource<>(classes, context),
                new InformerEventSource<>(runs, context),
                new InformerEventSource<>(verifiers, context));
    }

    private static Set<ResourceID> intentsUsing(
            GeneratorClass generatorClass, EventSourceContext<SoftwareIntent> context) {
        String name = generatorClass.getMetadata().getName();
        return context.getPrimaryCache()
                .list()
                .filter(intent -> intent.getSpec() != null)
                .filter(
                        intent ->
                                intent.getSpec().generatorClassName == null
                                        || name.equals(intent.getSpec().generatorClassName))
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    }

    @Override
    public UpdateControl<SoftwareIntent> reconcile(
            SoftwareIntent intent, Context<SoftwareIntent> context) {
        EventRecorder events = new EventRecorder(context.getClient());
        var resolution =
                GeneratorClassResolver.resolve(
                        intent.getSpec().generatorClassName, allClasses(context));
        List<SpecProblem> problems = validate(intent, resolution);
        if (!problems.isEmpty()) {
            return report(intent, statuses.invalid(intent, problems), events, context);
        }
        RunPlanner.Plan plan = planRuns(intent, resolution.generatorClass(), context, events);
        IntentStatusBuilder.Serving serving = serve(intent, plan.latest(), context, events);
        UpdateControl<SoftwareIntent> control =
                report(
                        intent,
                        statuses.build(
                                intent,
                                resolution.generatorClass().getMetadata().getName(),
                                plan.latest(),
                                serving),
                        events,
                        context);
        // A rollout is bounded by time as well as by what the Deployments report, and a revision
        // that served before drains for a while: look again soon, or when the drain ends.
        return serving.lookAgainIn(ROLLOUT_POLL, drain, Instant.now(clock))
                .map(control::rescheduleAfter)
                .orElse(control);
    }

    @Override
    public ErrorStatusUpdateControl<SoftwareIntent> updateErrorStatus(
            SoftwareIntent intent, Context<SoftwareIntent> context, Exception e) {
        metrics.reconcileError(NAME, e);
        ErrorStatus.report(
                context.getClient(),
                intent,
                intent.getStatus() == null ? null : intent.getStatus().conditions,
                clock,
                e,
                SoftwareIntent::new,
                conditions -> {
                    SoftwareIntentStatus status = new SoftwareIntentStatus();
                    status.conditions = conditions;
                    return status;
                });
        return ErrorStatusUpdateControl.defaultErrorProcessing();
    }

    /**
     * Step 2: the run this generation needs. Creates it when missing and deletes finished runs
     * beyond the history. Runs it supersedes are not told here: they read the intent's status
     * ({@code latestRun}) once the report step has written it, and cancel themselves.
     */
    private RunPlanner.Plan planRuns(
            SoftwareIntent intent,
            GeneratorClass generatorClass,
            Context<SoftwareIntent> context,
            EventRecorder events) {
        // Runs by controller UID, never by name: a deleted intent's runs are not this one's.
        List<FactoryRun> runs = new ArrayList<>(context.getSecondaryResources(FactoryRun.class));
        runs.removeIf(run -> !OwnerReferences.isControlledBy(run, intent));
        RunPlanner.Plan plan =
                RunPlanner.plan(intent, generatorClass, runs, settings.runHistoryLimit());
        KubernetesClient client = context.getClient();
        if (plan.create() != null && created(client, plan.create(), intent)) {
            String newRun = plan.create().getMetadata().getName();
            events.normal(
                    intent,
                    "RunCreated",
                    "run " + newRun + " started (" + plan.create().getSpec().trigger + ")");
            for (FactoryRun superseded : plan.superseded()) {
                events.normal(
                        intent,
                        "RunCancelled",
                        "run " + superseded.getMetadata().getName() + " superseded by " + newRun);
            }
        }
        for (FactoryRun old : plan.delete()) {
            client.resource(old).delete();
        }
        return plan;
    }

    /**
     * Step 3: blue/green promotion. Decide from the status, the latest run, the revision
     * Deployments and the candidate's verification what runs and what the Service selects (the
     * promotion plan); reconcile the serving workflow (the app's NetworkPolicy, the revision
     * Deployments, the Service) and the candidate's verification from it; announce what happened. A
     * candidate that fails becomes a record in the intent's status, which the run reads and turns
     * into a failed attempt.
     */
    private IntentStatusBuilder.Serving serve(
            SoftwareIntent intent,
            FactoryRun latest,
            Context<SoftwareIntent> context,
            EventRecorder events) {
        var serve = intent.getSpec().serveOrDefault();
        Map<String, Deployment> revisions = ServingDeployment.revisions(intent, context);
        PromotionPlanner.Plan plan =
                PromotionPlanner.decide(
                        new PromotionPlanner.Inputs(
                                intent.getMetadata().getName(),
                                intent.getStatus(),
                                latest,
                                observed(revisions),
                                verification.read(intent, context),
                                intent.getSpec().pauseRequested(),
                                serve.pinnedRevision(),
                                serve.revisionHistoryLimitOrDefault(),
                                Durations.parse(serve.rolloutTimeout),
                                drain,
                                Instant.now(clock)));
        RolloutFailure failed =
                intent.getStatus() == null ? null : intent.getStatus().failedRollout;
        if (plan.failure() != null) {
            failed = plan.failure();
            if (plan.outcome() == PromotionPlanner.Outcome.UNAVAILABLE) {
                // Read why before the candidate is removed, while its pods are still there.
                failed.message += ": " + diagnosis(intent, intent.getStatus().rollout, context);
            }
        }
        boolean applies =
                !intent.getSpec().pauseRequested()
                        && (!plan.revisions().isEmpty() || !revisions.isEmpty());
        if (applies) {
            ServingOwnership.verify(intent, context, plan);
            ServingDecision.put(context, plan, podBounds);
            context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
            verification.reconcile(intent, plan, context);
            removeDeploymentBeforeRevisions(intent, plan, context);
        }
        if (!intent.getSpec().pauseRequested()) {
            announceRollout(intent, plan, failed, events);
        }
        Deployment serving = plan.selected() == null ? null : revisions.get(plan.selected());
        boolean available =
                plan.serving() != null
                        && (plan.selected() == null
                                ? DeploymentHealth.available(
                                        deploymentBeforeRevisions(intent, context))
                                : DeploymentHealth.available(serving));
        return new IntentStatusBuilder.Serving(
                plan, available, ServingResources.url(intent), failed);
    }

    private static Map<String, PromotionPlanner.Observed> observed(
            Map<String, Deployment> revisions) {
        Map<String, PromotionPlanner.Observed> observed = new HashMap<>();
        revisions.forEach(
                (revision, deployment) ->
                        observed.put(
                                revision,
                                new PromotionPlanner.Observed(
                                        DeploymentHealth.rolledOut(
                                                deployment, DeploymentHealth.image(deployment)),
                                        DeploymentHealth.progressDeadlineExceeded(deployment))));
        return observed;
    }

    /**
     * The Deployment named after the intent serves until the first promotion of an intent that was
     * served before revisions existed; once a revision serves, it goes.
     */
    private static void removeDeploymentBeforeRevisions(
            SoftwareIntent intent, PromotionPlanner.Plan plan, Context<SoftwareIntent> context) {
        Deployment before = deploymentBeforeRevisions(intent, context);
        // Once the Service selects a revision, and not before that revision took over the traffic.
        if (before != null && plan.selected() != null && !plan.inMotion()) {
            context.getClient().resource(before).delete();
        }
    }

    private static Deployment deploymentBeforeRevisions(
            SoftwareIntent intent, Context<SoftwareIntent> context) {
        return context.getSecondaryResourcesAsStream(Deployment.class)
                .filter(d -> d.getMetadata().getName().equals(intent.getMetadata().getName()))
                .filter(d -> OwnerReferences.isControlledBy(d, intent))
                .findFirst()
                .orElse(null);
    }

    /**
     * Step 4: write the status when it changed, and raise the Events of a change users must see.
     */
    private static UpdateControl<SoftwareIntent> report(
            SoftwareIntent intent,
            SoftwareIntentStatus next,
            EventRecorder events,
            Context<SoftwareIntent> context) {
        announce(intent, next, events);
        SoftwareIntentStatus previous = intent.getStatus();
        if (previous == null || !StatusPatch.same(previous, next)) {
            // Written and cached: the next reconcile (a run's status, a pod) compares with this
            // status, not the one before it, so it neither writes it again nor announces twice.
            // UpdateControl.patchStatus would leave the cache behind until the watch catches up.
            PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(
                    intent, StatusPatch.statusOnly(intent, next, SoftwareIntent::new), context);
        }
        return UpdateControl.noUpdate();
    }

    /** The Events of a promotion, a rollback and their failures, as the plan says. */
    private static void announceRollout(
            SoftwareIntent intent,
            PromotionPlanner.Plan plan,
            RolloutFailure failed,
            EventRecorder events) {
        switch (plan.outcome()) {
            case STARTED, ROLLBACK_STARTED ->
                    events.normal(intent, "RolloutStarted", plan.message());
            case PROMOTED -> {
                events.normal(
                        intent,
                        "VerificationPassed",
                        "revision "
                                + plan.serving().revision
                                + " passed its checks in its production configuration");
                events.normal(
                        intent,
                        "RolledOut",
                        plan.message()
                                + "; "
                                + plan.serving().image
                                + " of run "
                                + plan.serving().run
                                + " serves");
            }
            case ROLLED_BACK -> events.normal(intent, "RolledBack", plan.message());
            case VERIFICATION_FAILED ->
                    events.warning(
                            intent,
                            "VerificationFailed",
                            failed.message + "; the candidate is removed, " + servingNow(plan));
            case UNAVAILABLE ->
                    events.warning(
                            intent,
                            "RolloutFailed",
                            "image "
                                    + failed.image
                                    + " of run "
                                    + failed.run
                                    + ": "
                                    + failed.message
                                    + "; the candidate is removed, "
                                    + servingNow(plan));
            case ROLLBACK_TIMED_OUT -> events.warning(intent, "RollbackFailed", plan.message());
            case UNKNOWN_PIN -> {
                // Once per spec change, not on every reconcile.
                if (intent.getStatus() == null
                        || !Objects.equals(
                                intent.getStatus().observedGeneration,
                                intent.getMetadata().getGeneration())) {
                    events.warning(intent, "UnknownRevision", plan.message());
                }
            }
            default -> {
                // Steady, progressing or verifying: nothing to announce.
            }
        }
    }

    private static String servingNow(PromotionPlanner.Plan plan) {
        return plan.serving() == null
                ? "this was the first revision, so nothing serves yet"
                : "what served keeps serving (" + plan.serving().image + ")";
    }

    /** Why the candidate of the rollout did not become Available, from its pods. */
    private static String diagnosis(
            SoftwareIntent intent, RolloutStatus rollout, Context<SoftwareIntent> context) {
        List<Pod> pods =
                context.getClient()
                        .pods()
                        .inNamespace(intent.getMetadata().getNamespace())
                        .withLabels(ServingResources.revisionSelector(intent, rollout.revision))
                        .list()
                        .getItems();
        return AppPodDiagnosis.of(pods, rollout.image);
    }

    /**
     * Step 1: what the schema cannot check (the GeneratorClass, and cross-field rules older API
     * servers skip).
     */
    private static List<SpecProblem> validate(
            SoftwareIntent intent, GeneratorClassResolver.Resolution resolution) {
        List<SpecProblem> problems =
                new ArrayList<>(IntentNames.problems(intent.getMetadata().getName()));
        if (!resolution.resolved()) {
            problems.add(resolution.problem());
        }
        problems.addAll(SpecValidator.validate(intent.getSpec()));
        return problems;
    }

    /**
     * Creates a run under its deterministic name; false when it exists already and is this intent's
     * (an earlier reconcile made it: controlled by the intent's UID). One that is not is never
     * adopted: the error names it.
     */
    private static boolean created(KubernetesClient client, FactoryRun run, SoftwareIntent intent) {
        try {
            client.resource(run).create();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            FactoryRun existing = client.resource(run).get();
            if (existing != null && !OwnerReferences.isControlledBy(existing, intent)) {
                throw new IllegalStateException(
                        "FactoryRun "
                                + run.getMetadata().getNamespace()
                                + "/"
                                + run.getMetadata().getName()
                                + " exists but is not controlled by this SoftwareIntent (UID "
                                + intent.getMetadata().getUid()
                                + "); it is neither adopted nor overwritten");
            }
            return false;
        }
    }

    private static Collection<GeneratorClass> allClasses(Context<SoftwareIntent> context) {
        @SuppressWarnings("unchecked")
        var source =
                (InformerEventSource<GeneratorClass, SoftwareIntent>)
                        context.eventSourceRetriever().getEventSourceFor(GeneratorClass.class);
        return source.list().toList();
    }

    /**
     * Raises an Event when the intent becomes stalled or paused, or the reason changes. The steps
     * on the way (run created, rollout started, rolled out) raise their own Events where they
     * happen.
     */
    private static void announce(
            SoftwareIntent intent, SoftwareIntentStatus next, EventRecorder events) {
        SoftwareIntentStatus previous =
                intent.getStatus() != null ? intent.getStatus() : new SoftwareIntentStatus();
        var before = StatusAggregator.find(previous.conditions, StatusAggregator.STALLED);
        var stalled = StatusAggregator.find(next.conditions, StatusAggregator.STALLED);
        boolean changed =
                before == null
                        || before.status != stalled.status
                        || !Objects.equals(before.message, stalled.message);
        if (stalled.isTrue() && changed) {
            events.warning(intent, stalled.reason, stalled.message);
        } else if (next.phase == IntentPhase.Paused && previous.phase != IntentPhase.Paused) {
            events.normal(intent, "Paused", stalled.message);
        }
    }
}
