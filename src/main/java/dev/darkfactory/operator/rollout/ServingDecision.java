package dev.darkfactory.operator.rollout;

import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Hands the rollout decision of one reconcile to the serving dependents, and is their reconcile
 * precondition: they are applied only when there is an image to serve and the intent is not paused
 * (a paused intent's objects stay as they are, and keep serving).
 */
public final class ServingDecision implements Condition<HasMetadata, SoftwareIntent> {

    /** Puts the decision where the dependents of this reconcile find it. */
    public static void put(Context<SoftwareIntent> context, RolloutPlanner.Decision decision) {
        context.managedWorkflowAndDependentResourceContext()
                .put(RolloutPlanner.Decision.class, decision);
    }

    static RolloutPlanner.Decision of(Context<SoftwareIntent> context) {
        return context.managedWorkflowAndDependentResourceContext()
                .getMandatory(RolloutPlanner.Decision.class, RolloutPlanner.Decision.class);
    }

    @Override
    public boolean isMet(
            DependentResource<HasMetadata, SoftwareIntent> dependentResource,
            SoftwareIntent intent,
            Context<SoftwareIntent> context) {
        return of(context).deployImage() != null && !intent.getSpec().pauseRequested();
    }
}
