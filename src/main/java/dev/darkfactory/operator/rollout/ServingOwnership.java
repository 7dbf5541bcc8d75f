package dev.darkfactory.operator.rollout;

import dev.darkfactory.operator.api.v1alpha1.OwnerReferences;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * Ownership of what serves an intent is verified, never assumed: before the serving workflow
 * applies the app's NetworkPolicy and Service (named after the intent), the revision Deployments
 * ({@code <intent>-<revision>}), and the candidate Service and the verification pod's
 * NetworkPolicy, each one that exists must be controlled by this intent, by UID. Server-side apply
 * would otherwise take over a same-name object someone else made (or one left by a deleted intent
 * of that name) and route the intent's traffic through it. The dependents' caches answer for
 * objects the operator made; only a name missing there costs a read, so a read per new object, not
 * per reconcile.
 */
public final class ServingOwnership {

    private ServingOwnership() {}

    /**
     * Throws, naming the object, when a serving object the plan applies is not the intent's: the
     * reconcile error reaches the intent's status and is retried with backoff, so serving resumes
     * once the object is removed. Nothing is applied meanwhile.
     */
    public static void verify(
            SoftwareIntent intent, Context<SoftwareIntent> context, PromotionPlanner.Plan plan) {
        check(intent, context, NetworkPolicy.class, intent.getMetadata().getName());
        if (plan.selected() != null) {
            check(intent, context, Service.class, intent.getMetadata().getName());
        }
        if (plan.verify() != null) {
            check(intent, context, Service.class, ServingResources.candidateServiceName(intent));
            check(
                    intent,
                    context,
                    NetworkPolicy.class,
                    ServingResources.verifierPolicyName(intent));
        }
        for (PromotionPlanner.Revision r : plan.revisions()) {
            check(
                    intent,
                    context,
                    Deployment.class,
                    ServingResources.deploymentName(intent, r.revision().revision));
        }
    }

    private static void check(
            SoftwareIntent intent,
            Context<SoftwareIntent> context,
            Class<? extends HasMetadata> kind,
            String name) {
        HasMetadata found =
                context.getSecondaryResources(kind).stream()
                        .map(HasMetadata.class::cast)
                        .filter(r -> r.getMetadata().getName().equals(name))
                        .findFirst()
                        .orElseGet(() -> read(intent, context, kind, name));
        if (found != null && !OwnerReferences.isControlledBy(found, intent)) {
            throw new IllegalStateException(foreign(intent, kind, name));
        }
    }

    private static HasMetadata read(
            SoftwareIntent intent,
            Context<SoftwareIntent> context,
            Class<? extends HasMetadata> kind,
            String name) {
        return context.getClient()
                .resources(kind)
                .inNamespace(intent.getMetadata().getNamespace())
                .withName(name)
                .get();
    }

    static String foreign(SoftwareIntent intent, Class<? extends HasMetadata> kind, String name) {
        return kind.getSimpleName()
                + " "
                + intent.getMetadata().getNamespace()
                + "/"
                + name
                + " exists but is not controlled by this SoftwareIntent (UID "
                + intent.getMetadata().getUid()
                + "); the operator neither uses nor overwrites it, and serves nothing until it is"
                + " removed or renamed";
    }
}
