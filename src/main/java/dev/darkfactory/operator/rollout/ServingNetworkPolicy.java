package dev.darkfactory.operator.rollout;

import dev.darkfactory.operator.api.v1alpha1.Labels;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.util.ListPages;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The NetworkPolicy of an intent's served app, as a JOSDK dependent resource beside the Deployment
 * and Service: ingress on the app's port, egress only as {@code spec.serve.egress} allows. It is
 * applied before the Deployment, so no pod of the app runs unguarded, and removed with the intent.
 */
// createResourceOnlyIfNotExistingWithSSA sends a resourceVersion on create, which API servers
// before 1.22 refuse.
@KubernetesDependent(
        informer =
                @Informer(
                        labelSelector = Labels.MANAGED_SELECTOR,
                        informerListLimit = ListPages.SIZE),
        createResourceOnlyIfNotExistingWithSSA = false)
public class ServingNetworkPolicy
        extends CRUDKubernetesDependentResource<NetworkPolicy, SoftwareIntent> {

    public ServingNetworkPolicy() {
        super(NetworkPolicy.class);
    }

    @Override
    protected NetworkPolicy desired(SoftwareIntent intent, Context<SoftwareIntent> context) {
        return ServingResources.networkPolicy(intent);
    }
}
