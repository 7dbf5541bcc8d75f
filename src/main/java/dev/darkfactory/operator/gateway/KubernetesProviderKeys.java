package dev.darkfactory.operator.gateway;

import dev.darkfactory.operator.api.v1alpha1.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Provider keys from Secrets in the gateway's namespace, kept for a short while so that a busy
 * gateway does not read a Secret per call, and a rotated key is picked up within {@link #TTL}.
 */
public final class KubernetesProviderKeys implements ProviderKeys {

    static final Duration TTL = Duration.ofSeconds(30);

    private record Cached(Map<String, String> data, Instant readAt) {}

    private final KubernetesClient client;
    private final String namespace;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public KubernetesProviderKeys(KubernetesClient client, String namespace, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.clock = clock;
    }

    @Override
    public String key(SecretKeySelector ref) throws IOException {
        Cached cached = cache.get(ref.name);
        if (cached == null
                || Duration.between(cached.readAt(), clock.instant()).compareTo(TTL) > 0) {
            cached = new Cached(read(ref.name), clock.instant());
            cache.put(ref.name, cached);
        }
        String encoded = cached.data().get(ref.key);
        if (encoded == null) {
            throw new IOException(
                    "the provider key Secret "
                            + namespace
                            + "/"
                            + ref.name
                            + " has no key "
                            + ref.key);
        }
        return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).trim();
    }

    private Map<String, String> read(String name) throws IOException {
        try {
            Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
            if (secret == null) {
                throw new IOException(
                        "the provider key Secret " + namespace + "/" + name + " does not exist");
            }
            return secret.getData() == null ? Map.of() : secret.getData();
        } catch (KubernetesClientException e) {
            throw new IOException(
                    "cannot read the provider key Secret "
                            + namespace
                            + "/"
                            + name
                            + " ("
                            + e.getCode()
                            + ")",
                    e);
        }
    }
}
