package dev.darkfactory.operator.rollout;

import dev.darkfactory.operator.api.v1alpha1.Labels;
import dev.darkfactory.operator.api.v1alpha1.OwnerReferences;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.util.ListPages;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.BulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The revision Deployments of an intent ({@code <intent>-<revision>}), as a JOSDK bulk dependent
 * resource keyed by revision: the serving one and a candidate with their replicas, kept ones scaled
 * to 0, as the promotion plan says. The framework creates and applies them with server-side apply,
 * and deletes every revision Deployment of the intent the plan no longer names (a failed candidate,
 * revisions beyond spec.serve.revisionHistoryLimit). What exists is read from the informer, by the
 * revision label and the intent's UID, so a restarted operator neither duplicates nor loses one.
 */
// createResourceOnlyIfNotExistingWithSSA sends a resourceVersion on create, which API servers
// before 1.22 refuse.
@KubernetesDependent(
        informer =
                @Informer(
                        labelSelector = Labels.MANAGED_SELECTOR,
                        informerListLimit = ListPages.SIZE),
        createResourceOnlyIfNotExistingWithSSA = false)
public class ServingDeployment extends CRUDKubernetesDependentResource<Deployment, SoftwareIntent>
        implements BulkDependentResource<Deployment, SoftwareIntent> {

    public ServingDeployment() {
        super(Deployment.class);
    }

    @Override
    public Map<String, Deployment> desiredResources(
            SoftwareIntent intent, Context<SoftwareIntent> context) {
        Map<String, Deployment> desired = new LinkedHashMap<>();
        for (PromotionPlanner.Revision r : ServingDecision.of(context).revisions()) {
            desired.put(
                    r.revision().revision,
                    ServingResources.revisionDeployment(
                            intent, r.revision(), r.active(), ServingDecision.bounds(context)));
        }
        return desired;
    }

    @Override
    public Map<String, Deployment> getSecondaryResources(
            SoftwareIntent intent, Context<SoftwareIntent> context) {
        return revisions(intent, context);
    }

    /** The intent's revision Deployments, by revision: controlled by its UID and labelled. */
    public static Map<String, Deployment> revisions(
            SoftwareIntent intent, Context<SoftwareIntent> context) {
        return context.getSecondaryResourcesAsStream(Deployment.class)
                .filter(d -> OwnerReferences.isControlledBy(d, intent))
                .filter(d -> revision(d) != null)
                .collect(Collectors.toMap(ServingDeployment::revision, d -> d, (a, b) -> a));
    }

    private static String revision(Deployment deployment) {
        Map<String, String> labels = deployment.getMetadata().getLabels();
        return labels == null ? null : labels.get(Labels.REVISION);
    }
}
