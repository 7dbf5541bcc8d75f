package dev.darkfactory.operator.testing;

import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;

/**
 * Clients that sign in as a ServiceAccount with a token the API server issued for it, as the
 * operator's pod does: no client certificate, so no RSA signature per TLS connection either.
 */
public final class ServiceAccountClients {

    private ServiceAccountClients() {}

    /**
     * A client of the server {@code admin} talks to, signed in as {@code namespace/serviceAccount}
     * with a token that {@code admin} requests, valid for {@code lifetime}.
     */
    public static KubernetesClient signedInAs(
            KubernetesClient admin, String namespace, String serviceAccount, Duration lifetime) {
        String token =
                admin.serviceAccounts()
                        .inNamespace(namespace)
                        .withName(serviceAccount)
                        .tokenRequest(
                                new TokenRequestBuilder()
                                        .withNewSpec()
                                        .withExpirationSeconds(lifetime.toSeconds())
                                        .endSpec()
                                        .build())
                        .getStatus()
                        .getToken();
        Config server = admin.getConfiguration();
        Config asServiceAccount =
                new ConfigBuilder(Config.empty())
                        .withMasterUrl(server.getMasterUrl())
                        .withCaCertData(server.getCaCertData())
                        .withCaCertFile(server.getCaCertFile())
                        .withOauthToken(token)
                        .build();
        return new KubernetesClientBuilder().withConfig(asServiceAccount).build();
    }
}
