package dev.darkfactory.operator.rollout;

import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.config.PodBounds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Hands the promotion plan of one reconcile to the serving dependents, and is their reconcile
 * precondition: they are applied only when the intent is not paused (a paused intent's objects stay
 * as they are, and keep serving).
 */
public final class ServingDecision implements Condition<HasMetadata, SoftwareIntent> {

    /**
     * Puts the plan, and the bounds every pod carries (the dependents are made by the framework, so
     * they get the operator's settings this way), where the dependents of this reconcile find them.
     */
    public static void put(
            Context<SoftwareIntent> context, PromotionPlanner.Plan plan, PodBounds bounds) {
        context.managedWorkflowAndDependentResourceContext().put(PromotionPlanner.Plan.class, plan);
        context.managedWorkflowAndDependentResourceContext().put(PodBounds.class, bounds);
    }

    static PodBounds bounds(Context<SoftwareIntent> context) {
        return context.managedWorkflowAndDependentResourceContext()
                .getMandatory(PodBounds.class, PodBounds.class);
    }

    static PromotionPlanner.Plan of(Context<SoftwareIntent> context) {
        return context.managedWorkflowAndDependentResourceContext()
                .getMandatory(PromotionPlanner.Plan.class, PromotionPlanner.Plan.class);
    }

    @Override
    public boolean isMet(
            DependentResource<HasMetadata, SoftwareIntent> dependentResource,
            SoftwareIntent intent,
            Context<SoftwareIntent> context) {
        return !intent.getSpec().pauseRequested();
    }

    /**
     * The precondition of the intent's Service: it exists once a revision was verified, and selects
     * that revision; before, there is nothing it may route to.
     */
    public static final class Selected implements Condition<HasMetadata, SoftwareIntent> {
        @Override
        public boolean isMet(
                DependentResource<HasMetadata, SoftwareIntent> dependentResource,
                SoftwareIntent intent,
                Context<SoftwareIntent> context) {
            return !intent.getSpec().pauseRequested() && of(context).selected() != null;
        }
    }
}
