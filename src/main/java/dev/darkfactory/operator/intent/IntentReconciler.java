package dev.darkfactory.operator.intent;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import dev.darkfactory.operator.api.v1alpha1.GeneratorClass;
import dev.darkfactory.operator.api.v1alpha1.IntentPhase;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentStatus;
import dev.darkfactory.operator.events.EventRecorder;
import dev.darkfactory.operator.status.StatusAggregator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * Reconciles a SoftwareIntent: validates what the schema cannot (the GeneratorClass it names or
 * the default one, and the cross-field rules older API servers do not enforce) and reports the
 * outcome in status and Events. It never writes the spec.
 */
@ControllerConfiguration(name = IntentReconciler.NAME)
public class IntentReconciler implements Reconciler<SoftwareIntent> {

    public static final String NAME = "softwareintent";

    private final Clock clock;

    public IntentReconciler() {
        this(Clock.systemUTC());
    }

    public IntentReconciler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, SoftwareIntent>> prepareEventSources(EventSourceContext<SoftwareIntent> context) {
        // A GeneratorClass that appears, changes or goes away affects the intents that name it,
        // and, when it is (or was) the default, those that name none.
        var classes = InformerEventSourceConfiguration.from(GeneratorClass.class, SoftwareIntent.class)
                .withSecondaryToPrimaryMapper(generatorClass -> intentsUsing(generatorClass, context))
                .build();
        return List.of(new InformerEventSource<>(classes, context));
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
        SoftwareIntentStatus previous = intent.getStatus() != null ? intent.getStatus() : new SoftwareIntentStatus();
        SoftwareIntentStatus next = desiredStatus(intent, allClasses(context));
        announce(intent, previous, next, new EventRecorder(context.getClient()));
        if (sameStatus(previous, next)) {
            return UpdateControl.noUpdate();
        }
        return UpdateControl.patchStatus(statusOnly(intent, next));
    }

    /** Pure: the status an intent should have, given the GeneratorClasses that exist. */
    SoftwareIntentStatus desiredStatus(SoftwareIntent intent, Collection<GeneratorClass> classes) {
        long generation = intent.getMetadata().getGeneration();
        SoftwareIntentStatus previous = intent.getStatus() != null ? intent.getStatus() : new SoftwareIntentStatus();
        SoftwareIntentStatus status = new SoftwareIntentStatus();
        status.observedGeneration = generation;
        status.latestRun = previous.latestRun;
        status.attempts = previous.attempts;
        status.servingRun = previous.servingRun;
        status.servingImage = previous.servingImage;
        status.url = previous.url;

        var resolution = GeneratorClassResolver.resolve(intent.getSpec().generatorClassName, classes);
        List<SpecProblem> problems = new ArrayList<>();
        if (!resolution.resolved()) {
            problems.add(resolution.problem());
        }
        problems.addAll(SpecValidator.validate(intent.getSpec()));

        var conditions = new StatusAggregator(previous.conditions, generation, clock);
        if (!problems.isEmpty()) {
            status.phase = IntentPhase.Invalid;
            conditions.stalled(problems.get(0).reason(),
                    problems.stream().map(SpecProblem::message).collect(Collectors.joining("; ")));
        } else {
            status.generatorClassName = resolution.generatorClass().getMetadata().getName();
            if (intent.getSpec().pauseRequested()) {
                status.phase = IntentPhase.Paused;
                conditions.set(StatusAggregator.READY, false, "Paused", "spec.paused is true: nothing is built or rolled out")
                        .set(StatusAggregator.RECONCILING, false, "Paused", "spec.paused is true")
                        .set(StatusAggregator.STALLED, false, "Paused", "spec.paused is true");
            } else {
                status.phase = IntentPhase.Pending;
                conditions.progressing("Accepted",
                        "uses GeneratorClass " + status.generatorClassName + "; waiting for the factory");
            }
        }
        status.conditions = conditions.build();
        return status;
    }

    private static Collection<GeneratorClass> allClasses(Context<SoftwareIntent> context) {
        InformerEventSource<GeneratorClass, SoftwareIntent> source = (InformerEventSource<GeneratorClass, SoftwareIntent>) context
                .eventSourceRetriever().getEventSourceFor(GeneratorClass.class);
        return source.list().toList();
    }

    /** Raises an Event when the intent's verdict changes, not on every reconcile. */
    private static void announce(SoftwareIntent intent, SoftwareIntentStatus previous, SoftwareIntentStatus next,
            EventRecorder events) {
        var before = StatusAggregator.find(previous.conditions, StatusAggregator.STALLED);
        var after = StatusAggregator.find(next.conditions, StatusAggregator.STALLED);
        if (before != null && Objects.equals(before.reason, after.reason) && Objects.equals(before.message, after.message)
                && previous.phase == next.phase) {
            return;
        }
        if (after.isTrue()) {
            events.warning(intent, after.reason, after.message);
        } else {
            var ready = StatusAggregator.find(next.conditions, StatusAggregator.READY);
            events.normal(intent, ready.reason, ready.message);
        }
    }

    private static boolean sameStatus(SoftwareIntentStatus a, SoftwareIntentStatus b) {
        return io.fabric8.kubernetes.client.utils.Serialization.asJson(a)
                .equals(io.fabric8.kubernetes.client.utils.Serialization.asJson(b));
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
