package dev.darkfactory.operator.gateway;

import dev.darkfactory.operator.api.v1alpha1.SecretKeySelector;
import java.io.IOException;

/** Provider keys, from Secrets in the gateway's own namespace (KubernetesProviderKeys). */
public interface ProviderKeys {

    /** The key's value; the exception names the Secret and key, never a value. */
    String key(SecretKeySelector ref) throws IOException;
}
