package dev.darkfactory.operator.intent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.GeneratorClass;
import dev.darkfactory.operator.api.v1alpha1.IntentPhase;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentStatus;
import dev.darkfactory.operator.config.FactorySettings;
import dev.darkfactory.operator.events.EventRecorder;
import dev.darkfactory.operator.metrics.FactoryMetrics;
import dev.darkfactory.operator.rollout.AppPodDiagnosis;
import dev.darkfactory.operator.rollout.DeploymentHealth;
import dev.darkfactory.operator.rollout.RolloutPlanner;
import dev.darkfactory.operator.rollout.ServingResources;
import dev.darkfactory.operator.run.RunNames;
import dev.darkfactory.operator.util.Durations;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import dev.darkfactory.operator.run.RunReconciler;
import dev.darkfactory.operator.status.StatusAggregator;
import dev.darkfactory.operator.status.StatusPatch;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;

/**
 * Reconciles a SoftwareIntent, as a chain of steps: validate what the schema cannot (the
 * GeneratorClass, and the cross-field rules older API servers do not enforce); plan the run the
 * intent needs now (create it, cancel the runs it supersedes, trim the history); report the
 * latest run in status and Events. It never writes the spec.
 */
@ControllerConfiguration(name = IntentReconciler.NAME, generationAwareEventProcessing = false)
public class IntentReconciler implements Reconciler<SoftwareIntent> {

    public static final String NAME = "softwareintent";
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
    public List<EventSource<?, SoftwareIntent>> prepareEventSources(EventSourceContext<SoftwareIntent> context) {
        // A GeneratorClass that appears, changes or goes away affects the intents that name it,
        // and, when it is (or was) the default, those that name none.
        var classes = InformerEventSourceConfiguration.from(GeneratorClass.class, SoftwareIntent.class)
                .withSecondaryToPrimaryMapper(generatorClass -> intentsUsing(generatorClass, context))
                .build();
        var runs = InformerEventSourceConfiguration.from(FactoryRun.class, SoftwareIntent.class)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(SoftwareIntent.class))
                .build();
        var deployments = InformerEventSourceConfiguration.from(Deployment.class, SoftwareIntent.class)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(SoftwareIntent.class))
                .withLabelSelector(RunNames.MANAGED_BY + "=" + RunNames.MANAGER)
                .build();
        var services = InformerEventSourceConfiguration.from(Service.class, SoftwareIntent.class)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(SoftwareIntent.class))
                .withLabelSelector(RunNames.MANAGED_BY + "=" + RunNames.MANAGER)
                .build();
        return List.of(new InformerEventSource<>(classes, context), new InformerEventSource<>(runs, context),
                new InformerEventSource<>(deployments, context), new InformerEventSource<>(services, context));
    }

    private static Set<ResourceID> intentsUsing(GeneratorClass generatorClass, EventSourceContext<SoftwareIntent> context) {
        String name = generatorClass.getMetadata().getName();
        return context.getPrimaryCache().list()
                .filter(intent -> intent.getSpec() != null)
                .filter(intent -> intent.getSpec().generatorClassName == null
                        || name.equals(intent.getSpec().generatorClassName))
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    }

    @Override
    public UpdateControl<SoftwareIntent> reconcile(SoftwareIntent intent, Context<SoftwareIntent> context) {
        KubernetesClient client = context.getClient();
        EventRecorder events = new EventRecorder(client);
        var resolution = GeneratorClassResolver.resolve(intent.getSpec().generatorClassName, allClasses(context));
        List<SpecProblem> problems = problems(intent, resolution);

        SoftwareIntentStatus next;
        RolloutPlanner.Decision rollout = null;
        if (!problems.isEmpty()) {
            next = statuses.invalid(intent, problems);
        } else {
            List<FactoryRun> runs = new ArrayList<>(context.getSecondaryResources(FactoryRun.class));
            RunPlanner.Plan plan = RunPlanner.plan(intent, resolution.generatorClass(), runs, settings.runHistoryLimit());
            carryOut(plan, client, events, intent);
            Deployment deployment = context.getSecondaryResource(Deployment.class).orElse(null);
            rollout = RolloutPlanner.decide(intent.getStatus(), plan.latest(), deployment, intent.getSpec().pauseRequested(),
                    Durations.parse(intent.getSpec().serveOrDefault().rolloutTimeout), Instant.now(clock));
            serve(intent, rollout, context.getSecondaryResource(Service.class).orElse(null), client, events);
            boolean available = rollout.servingImage() != null && DeploymentHealth.available(deployment);
            next = statuses.build(intent, resolution.generatorClass().getMetadata().getName(), plan.latest(),
                    new IntentStatusBuilder.Serving(rollout.servingImage(), rollout.servingRun(), rollout.rollout(), available,
                            ServingResources.url(intent)));
        }
        announce(intent, next, events);
        SoftwareIntentStatus previous = intent.getStatus();
        UpdateControl<SoftwareIntent> control = previous != null && StatusPatch.same(previous, next)
                ? UpdateControl.noUpdate()
                : UpdateControl.patchStatus(StatusPatch.statusOnly(intent, next, SoftwareIntent::new));
        // A rollout is bounded by time as well as by what the Deployment reports, so look again soon.
        return next.rollout != null ? control.rescheduleAfter(ROLLOUT_POLL) : control;
    }

    @Override
    public ErrorStatusUpdateControl<SoftwareIntent> updateErrorStatus(SoftwareIntent intent, Context<SoftwareIntent> context,
            Exception e) {
        metrics.reconcileError(NAME, e);
        return ErrorStatusUpdateControl.defaultErrorProcessing();
    }

    /**
     * Applies the Deployment and Service the decision asks for (server-side apply, so hand edits
     * of the fields the operator owns are put back), and acts on the rollout's outcome.
     */
    private void serve(SoftwareIntent intent, RolloutPlanner.Decision decision, Service current, KubernetesClient client,
            EventRecorder events) {
        if (decision.deployImage() == null || intent.getSpec().pauseRequested()) {
            return;
        }
        // Read why the new revision failed before rolling back, while its pods are still there.
        String failure = decision.outcome() == RolloutPlanner.Outcome.FAILED ? whyRolloutFailed(intent, client) : null;
        client.resource(ServingResources.deployment(intent, decision.deployImage(), decision.deployRun()))
                .fieldManager(NAME).forceConflicts().serverSideApply();
        Service service = ServingResources.service(intent);
        repairPorts(current, service, client);
        client.resource(service).fieldManager(NAME).forceConflicts().serverSideApply();
        switch (decision.outcome()) {
            case STARTED -> events.normal(intent, "RolloutStarted", "rolling out " + decision.deployImage() + " of run "
                    + decision.deployRun());
            case SUCCEEDED -> events.normal(intent, "RolledOut", decision.servingImage() + " of run " + decision.servingRun()
                    + " serves");
            case FAILED -> rolledBack(intent, decision, failure, client, events);
            default -> {
                // Steady or still progressing: nothing to announce.
            }
        }
    }

    private static String whyRolloutFailed(SoftwareIntent intent, KubernetesClient client) {
        List<Pod> pods = client.pods().inNamespace(intent.getMetadata().getNamespace())
                .withLabels(ServingResources.selector(intent)).list().getItems();
        return "the new revision did not become Available within spec.serve.rolloutTimeout: "
                + AppPodDiagnosis.of(pods, intent.getStatus().rollout.image);
    }

    /**
     * Puts the Service's ports back when someone edited them. Server-side apply alone cannot:
     * ports are a list keyed by port number, so an edited port would stay beside ours.
     */
    private static void repairPorts(Service current, Service desired, KubernetesClient client) {
        if (current != null && !ServingResources.samePorts(current, desired)) {
            client.services().inNamespace(desired.getMetadata().getNamespace()).withName(desired.getMetadata().getName())
                    .edit(s -> {
                        s.getSpec().setPorts(desired.getSpec().getPorts());
                        return s;
                    });
        }
    }

    /** Notes on the run why its image failed to roll out; the run reconciler turns that into a failed attempt. */
    private static void rolledBack(SoftwareIntent intent, RolloutPlanner.Decision decision, String why,
            KubernetesClient client, EventRecorder events) {
        var failed = intent.getStatus().rollout;
        String back = decision.servingImage() == null
                ? "; this was the first revision, so there is nothing to roll back to"
                : "; rolled back to " + decision.servingImage();
        events.warning(intent, "RolloutFailed", "image " + failed.image + " of run " + failed.run + ": " + why + back);
        FactoryRun run = client.resources(FactoryRun.class).inNamespace(intent.getMetadata().getNamespace())
                .withName(failed.run).get();
        if (run != null) {
            annotate(client, run, RolloutPlanner.rolloutFailedAnnotation(failed.attempt), why);
        }
    }

    private static List<SpecProblem> problems(SoftwareIntent intent, GeneratorClassResolver.Resolution resolution) {
        List<SpecProblem> problems = new ArrayList<>();
        if (intent.getMetadata().getName().length() > RunNames.MAX_INTENT_NAME) {
            problems.add(new SpecProblem("metadata.name", "NameTooLong", "must be at most " + RunNames.MAX_INTENT_NAME
                    + " characters: run, pod and Secret names are made from it"));
        }
        if (!resolution.resolved()) {
            problems.add(resolution.problem());
        }
        problems.addAll(SpecValidator.validate(intent.getSpec()));
        return problems;
    }

    private static void carryOut(RunPlanner.Plan plan, KubernetesClient client, EventRecorder events, SoftwareIntent intent) {
        if (plan.create() != null) {
            try {
                client.resource(plan.create()).create();
                events.normal(intent, "RunCreated", "run " + plan.create().getMetadata().getName() + " started ("
                        + plan.create().getSpec().trigger + ")");
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
        String newRun = plan.latest() == null ? "" : plan.latest().getMetadata().getName();
        for (FactoryRun superseded : plan.cancel()) {
            annotate(client, superseded, RunReconciler.CANCEL_ANNOTATION, "superseded by run " + newRun);
            events.normal(intent, "RunCancelled", "run " + superseded.getMetadata().getName() + " superseded by " + newRun);
        }
        for (FactoryRun old : plan.delete()) {
            client.resource(old).delete();
        }
    }

    /**
     * Sets one annotation on a run with a JSON merge patch: no resourceVersion, so it cannot
     * conflict with the run reconciler writing the run's status at the same moment.
     */
    private static void annotate(KubernetesClient client, FactoryRun run, String key, String value) {
        client.resources(FactoryRun.class).inNamespace(run.getMetadata().getNamespace()).withName(run.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE),
                        Serialization.asJson(Map.of("metadata", Map.of("annotations", Map.of(key, value)))));
    }

    private static Collection<GeneratorClass> allClasses(Context<SoftwareIntent> context) {
        @SuppressWarnings("unchecked")
        var source = (InformerEventSource<GeneratorClass, SoftwareIntent>) context.eventSourceRetriever()
                .getEventSourceFor(GeneratorClass.class);
        return source.list().toList();
    }

    /**
     * Raises an Event when the intent becomes stalled or paused, or the reason changes. The steps
     * on the way (run created, rollout started, rolled out) raise their own Events where they happen.
     */
    private static void announce(SoftwareIntent intent, SoftwareIntentStatus next, EventRecorder events) {
        SoftwareIntentStatus previous = intent.getStatus() != null ? intent.getStatus() : new SoftwareIntentStatus();
        var before = StatusAggregator.find(previous.conditions, StatusAggregator.STALLED);
        var stalled = StatusAggregator.find(next.conditions, StatusAggregator.STALLED);
        boolean changed = before == null || before.status != stalled.status || !Objects.equals(before.message, stalled.message);
        if (stalled.isTrue() && changed) {
            events.warning(intent, stalled.reason, stalled.message);
        } else if (next.phase == IntentPhase.Paused && previous.phase != IntentPhase.Paused) {
            events.normal(intent, "Paused", stalled.message);
        }
    }

}
