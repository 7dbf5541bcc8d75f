package dev.darkfactory.operator.rollout;

import dev.darkfactory.operator.api.v1alpha1.Labels;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The Deployment that serves an intent, as a JOSDK dependent resource: {@link #desired} runs the
 * image the rollout decision names, and the framework creates it, applies it with server-side apply
 * when it drifts, and watches it. It is removed with its intent by garbage collection, never by the
 * workflow, so a paused intent keeps serving.
 */
// createResourceOnlyIfNotExistingWithSSA sends a resourceVersion on create, which API servers
// before 1.22 refuse.
@KubernetesDependent(
        informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR),
        createResourceOnlyIfNotExistingWithSSA = false)
public class ServingDeployment extends CRUDKubernetesDependentResource<Deployment, SoftwareIntent> {

    public ServingDeployment() {
        super(Deployment.class);
    }

    @Override
    protected Deployment desired(SoftwareIntent intent, Context<SoftwareIntent> context) {
        RolloutPlanner.Decision decision = ServingDecision.of(context);
        return ServingResources.deployment(intent, decision.deployImage(), decision.deployRun());
    }
}
