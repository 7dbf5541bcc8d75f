package dev.darkfactory.operator.intent;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.GeneratorClass;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentStatus;
import dev.darkfactory.operator.config.FactorySettings;
import dev.darkfactory.operator.events.EventRecorder;
import dev.darkfactory.operator.run.RunNames;
import dev.darkfactory.operator.run.RunReconciler;
import dev.darkfactory.operator.status.StatusAggregator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
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

    private final FactorySettings settings;
    private final IntentStatusBuilder statuses;

    @Inject
    public IntentReconciler(FactorySettings settings) {
        this(settings, Clock.systemUTC());
    }

    public IntentReconciler(FactorySettings settings, Clock clock) {
        this.settings = settings;
        this.statuses = new IntentStatusBuilder(clock);
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
        return List.of(new InformerEventSource<>(classes, context), new InformerEventSource<>(runs, context));
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
        if (!problems.isEmpty()) {
            next = statuses.invalid(intent, problems);
        } else {
            List<FactoryRun> runs = new ArrayList<>(context.getSecondaryResources(FactoryRun.class));
            RunPlanner.Plan plan = RunPlanner.plan(intent, resolution.generatorClass(), runs, settings.runHistoryLimit());
            carryOut(plan, client, events, intent);
            next = statuses.fromRun(intent, resolution.generatorClass().getMetadata().getName(), plan.latest());
        }
        announce(intent, next, events);
        SoftwareIntentStatus previous = intent.getStatus();
        if (previous != null && Serialization.asJson(previous).equals(Serialization.asJson(next))) {
            return UpdateControl.noUpdate();
        }
        return UpdateControl.patchStatus(statusOnly(intent, next));
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
            client.resources(FactoryRun.class).inNamespace(superseded.getMetadata().getNamespace())
                    .withName(superseded.getMetadata().getName())
                    .edit(r -> {
                        var annotations = new HashMap<String, String>();
                        if (r.getMetadata().getAnnotations() != null) {
                            annotations.putAll(r.getMetadata().getAnnotations());
                        }
                        annotations.put(RunReconciler.CANCEL_ANNOTATION, "superseded by run " + newRun);
                        r.getMetadata().setAnnotations(annotations);
                        return r;
                    });
            events.normal(intent, "RunCancelled", "run " + superseded.getMetadata().getName() + " superseded by " + newRun);
        }
        for (FactoryRun old : plan.delete()) {
            client.resource(old).delete();
        }
    }

    private static Collection<GeneratorClass> allClasses(Context<SoftwareIntent> context) {
        @SuppressWarnings("unchecked")
        var source = (InformerEventSource<GeneratorClass, SoftwareIntent>) context.eventSourceRetriever()
                .getEventSourceFor(GeneratorClass.class);
        return source.list().toList();
    }

    /** Raises an Event when the intent's verdict changes, not on every reconcile. */
    private static void announce(SoftwareIntent intent, SoftwareIntentStatus next, EventRecorder events) {
        SoftwareIntentStatus previous = intent.getStatus() != null ? intent.getStatus() : new SoftwareIntentStatus();
        var ready = StatusAggregator.find(next.conditions, StatusAggregator.READY);
        var before = StatusAggregator.find(previous.conditions, StatusAggregator.READY);
        if (before != null && Objects.equals(before.reason, ready.reason) && Objects.equals(before.message, ready.message)
                && previous.phase == next.phase) {
            return;
        }
        var stalled = StatusAggregator.find(next.conditions, StatusAggregator.STALLED);
        if (stalled.isTrue()) {
            events.warning(intent, stalled.reason, stalled.message);
        } else {
            var reconciling = StatusAggregator.find(next.conditions, StatusAggregator.RECONCILING);
            var headline = reconciling != null && reconciling.isTrue() ? reconciling : ready;
            events.normal(intent, headline.reason, headline.message);
        }
    }

    /** A copy that carries only what a server-side apply of the status needs, never the spec. */
    private static SoftwareIntent statusOnly(SoftwareIntent intent, SoftwareIntentStatus status) {
        SoftwareIntent patch = new SoftwareIntent();
        patch.setMetadata(new ObjectMetaBuilder()
                .withName(intent.getMetadata().getName())
                .withNamespace(intent.getMetadata().getNamespace())
                .build());
        patch.setStatus(status);
        return patch;
    }
}
