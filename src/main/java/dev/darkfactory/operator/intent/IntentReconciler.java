package dev.darkfactory.operator.intent;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.GeneratorClass;
import dev.darkfactory.operator.api.v1alpha1.IntentPhase;
import dev.darkfactory.operator.api.v1alpha1.RolloutFailure;
import dev.darkfactory.operator.api.v1alpha1.RolloutStatus;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentStatus;
import dev.darkfactory.operator.config.FactorySettings;
import dev.darkfactory.operator.events.EventRecorder;
import dev.darkfactory.operator.metrics.FactoryMetrics;
import dev.darkfactory.operator.rollout.AppPodDiagnosis;
import dev.darkfactory.operator.rollout.DeploymentHealth;
import dev.darkfactory.operator.rollout.RolloutPlanner;
import dev.darkfactory.operator.rollout.ServingDecision;
import dev.darkfactory.operator.rollout.ServingDeployment;
import dev.darkfactory.operator.rollout.ServingResources;
import dev.darkfactory.operator.rollout.ServingService;
import dev.darkfactory.operator.status.StatusAggregator;
import dev.darkfactory.operator.status.StatusPatch;
import dev.darkfactory.operator.util.Durations;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reconciles a SoftwareIntent, as a chain of steps: validate what the schema cannot (the
 * GeneratorClass, and the cross-field rules older API servers do not enforce); plan the run the
 * intent needs now (create it, trim the history); serve (the rollout decision, then the workflow of
 * the Deployment and Service dependents); report the latest run and what serves in status and
 * Events. Runs learn from that status that they are superseded or that their image failed to roll
 * out. It never writes the spec.
 */
@ControllerConfiguration(name = IntentReconciler.NAME, generationAwareEventProcessing = false)
@Workflow(
        explicitInvocation = true,
        dependents = {
            @Dependent(
                    name = IntentReconciler.DEPLOYMENT,
                    type = ServingDeployment.class,
                    reconcilePrecondition = ServingDecision.class),
            @Dependent(
                    name = IntentReconciler.SERVICE,
                    type = ServingService.class,
                    reconcilePrecondition = ServingDecision.class,
                    dependsOn = IntentReconciler.DEPLOYMENT)
        })
public class IntentReconciler implements Reconciler<SoftwareIntent> {

    public static final String NAME = "softwareintent";
    static final String DEPLOYMENT = "deployment";
    static final String SERVICE = "service";
    private static final Duration ROLLOUT_POLL = Duration.ofSeconds(5);

    private final FactorySettings settings;
    private final FactoryMetrics metrics;
    private final IntentStatusBuilder statuses;
    private final Clock clock;

    @Inject
    public IntentReconciler(FactorySettings settings, FactoryMetrics metrics) {
        this(settings, metrics, Clock.systemUTC());
    }

    public IntentReconciler(FactorySettings settings, FactoryMetrics metrics, Clock clock) {
        this.settings = settings;
        this.metrics = metrics;
        this.statuses = new IntentStatusBuilder(clock);
        this.clock = clock;
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
                        .build();
        var runs =
                InformerEventSourceConfiguration.from(FactoryRun.class, SoftwareIntent.class)
                        .withSecondaryToPrimaryMapper(
                                Mappers.fromOwnerReferences(SoftwareIntent.class))
                        .build();
        // The Deployment and Service are watched by their dependents (see @Workflow).
        return List.of(
                new InformerEventSource<>(classes, context),
                new InformerEventSource<>(runs, context));
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
            return report(intent, statuses.invalid(intent, problems), events);
        }
        RunPlanner.Plan plan = planRuns(intent, resolution.generatorClass(), context, events);
        IntentStatusBuilder.Serving serving = serve(intent, plan.latest(), context, events);
        return report(
                intent,
                statuses.build(
                        intent,
                        resolution.generatorClass().getMetadata().getName(),
                        plan.latest(),
                        serving),
                events);
    }

    @Override
    public ErrorStatusUpdateControl<SoftwareIntent> updateErrorStatus(
            SoftwareIntent intent, Context<SoftwareIntent> context, Exception e) {
        metrics.reconcileError(NAME, e);
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
        List<FactoryRun> runs = new ArrayList<>(context.getSecondaryResources(FactoryRun.class));
        RunPlanner.Plan plan =
                RunPlanner.plan(intent, generatorClass, runs, settings.runHistoryLimit());
        KubernetesClient client = context.getClient();
        if (plan.create() != null && created(client, plan.create())) {
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
     * Step 3: decide what the Deployment runs (the rollout decision), reconcile the serving
     * workflow (the Deployment and Service dependents, built from the decision; NetworkPolicies of
     * the app join it as further dependents), and act on the rollout's outcome. A failed rollout
     * becomes a record in the intent's status, which the run reads and turns into a failed attempt.
     */
    private IntentStatusBuilder.Serving serve(
            SoftwareIntent intent,
            FactoryRun latest,
            Context<SoftwareIntent> context,
            EventRecorder events) {
        Deployment deployment = context.getSecondaryResource(Deployment.class).orElse(null);
        RolloutPlanner.Decision decision =
                RolloutPlanner.decide(
                        intent.getStatus(),
                        latest,
                        deployment,
                        intent.getSpec().pauseRequested(),
                        Durations.parse(intent.getSpec().serveOrDefault().rolloutTimeout),
                        Instant.now(clock));
        RolloutFailure failed =
                intent.getStatus() == null ? null : intent.getStatus().failedRollout;
        if (decision.deployImage() != null && !intent.getSpec().pauseRequested()) {
            KubernetesClient client = context.getClient();
            // Read why the new revision failed before rolling back, while its pods are still there.
            if (decision.outcome() == RolloutPlanner.Outcome.FAILED) {
                failed = rolloutFailure(intent, client);
            }
            ServingDecision.put(context, decision);
            context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
            announceRollout(intent, decision, failed, events);
        }
        boolean available =
                decision.servingImage() != null && DeploymentHealth.available(deployment);
        return new IntentStatusBuilder.Serving(
                decision.servingImage(),
                decision.servingRun(),
                decision.rollout(),
                available,
                ServingResources.url(intent),
                failed);
    }

    /**
     * Step 4: write the status when it changed, and raise the Events of a change users must see. A
     * rollout is bounded by time as well as by what the Deployment reports, so look again soon.
     */
    private static UpdateControl<SoftwareIntent> report(
            SoftwareIntent intent, SoftwareIntentStatus next, EventRecorder events) {
        announce(intent, next, events);
        SoftwareIntentStatus previous = intent.getStatus();
        UpdateControl<SoftwareIntent> control =
                previous != null && StatusPatch.same(previous, next)
                        ? UpdateControl.noUpdate()
                        : UpdateControl.patchStatus(
                                StatusPatch.statusOnly(intent, next, SoftwareIntent::new));
        return next.rollout != null ? control.rescheduleAfter(ROLLOUT_POLL) : control;
    }

    private static void announceRollout(
            SoftwareIntent intent,
            RolloutPlanner.Decision decision,
            RolloutFailure failed,
            EventRecorder events) {
        switch (decision.outcome()) {
            case STARTED ->
                    events.normal(
                            intent,
                            "RolloutStarted",
                            "rolling out "
                                    + decision.deployImage()
                                    + " of run "
                                    + decision.deployRun());
            case SUCCEEDED ->
                    events.normal(
                            intent,
                            "RolledOut",
                            decision.servingImage()
                                    + " of run "
                                    + decision.servingRun()
                                    + " serves");
            case FAILED -> {
                String back =
                        decision.servingImage() == null
                                ? "; this was the first revision, so there is nothing to roll back to"
                                : "; rolled back to " + decision.servingImage();
                events.warning(
                        intent,
                        "RolloutFailed",
                        "image "
                                + failed.image
                                + " of run "
                                + failed.run
                                + ": "
                                + failed.message
                                + back);
            }
            default -> {
                // Steady or still progressing: nothing to announce.
            }
        }
    }

    /** Why the rollout in the intent's status failed, from the pods of the new revision. */
    private static RolloutFailure rolloutFailure(SoftwareIntent intent, KubernetesClient client) {
        RolloutStatus rollout = intent.getStatus().rollout;
        List<Pod> pods =
                client.pods()
                        .inNamespace(intent.getMetadata().getNamespace())
                        .withLabels(ServingResources.selector(intent))
                        .list()
                        .getItems();
        return new RolloutFailure(
                rollout.run,
                rollout.attempt,
                rollout.image,
                "the new revision did not become Available within spec.serve.rolloutTimeout: "
                        + AppPodDiagnosis.of(pods, rollout.image));
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
     * Creates a run under its deterministic name; false when it exists already (an earlier
     * reconcile made it).
     */
    private static boolean created(KubernetesClient client, FactoryRun run) {
        try {
            client.resource(run).create();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
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
