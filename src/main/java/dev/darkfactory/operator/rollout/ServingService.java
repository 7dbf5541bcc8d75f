package dev.darkfactory.operator.rollout;

import dev.darkfactory.operator.api.v1alpha1.Labels;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.util.ListPages;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * The intent's Service, as a JOSDK dependent resource. It selects the serving revision's pods only,
 * and switches to a candidate once it is verified (the promotion plan's {@code selected}).
 * Server-side apply alone cannot undo an edited port: ports are a list keyed by port number, so an
 * edited entry would stay beside ours. So a Service matches only with exactly the desired ports,
 * and an update first puts the ports back, then applies.
 */
// createResourceOnlyIfNotExistingWithSSA sends a resourceVersion on create, which API servers
// before 1.22 refuse.
@KubernetesDependent(
        informer =
                @Informer(
                        labelSelector = Labels.MANAGED_SELECTOR,
                        informerListLimit = ListPages.SIZE),
        createResourceOnlyIfNotExistingWithSSA = false)
public class ServingService extends CRUDKubernetesDependentResource<Service, SoftwareIntent> {

    public ServingService() {
        super(Service.class);
    }

    @Override
    protected Service desired(SoftwareIntent intent, Context<SoftwareIntent> context) {
        return ServingResources.service(intent, ServingDecision.of(context).selected());
    }

    /** The Service named after the intent (the candidate Service is another, not this one's). */
    @Override
    protected ResourceID targetSecondaryResourceID(
            SoftwareIntent intent, Context<SoftwareIntent> context) {
        return ResourceID.fromResource(intent);
    }

    @Override
    public Matcher.Result<Service> match(
            Service actual,
            Service desired,
            SoftwareIntent intent,
            Context<SoftwareIntent> context) {
        return ServingResources.samePorts(actual, desired)
                ? super.match(actual, desired, intent, context)
                : Matcher.Result.nonComputed(false);
    }

    @Override
    public Service update(
            Service actual,
            Service desired,
            SoftwareIntent intent,
            Context<SoftwareIntent> context) {
        if (!ServingResources.samePorts(actual, desired)) {
            context.getClient()
                    .services()
                    .inNamespace(actual.getMetadata().getNamespace())
                    .withName(actual.getMetadata().getName())
                    .edit(
                            s -> {
                                s.getSpec().setPorts(desired.getSpec().getPorts());
                                return s;
                            });
        }
        return super.update(actual, desired, intent, context);
    }
}
