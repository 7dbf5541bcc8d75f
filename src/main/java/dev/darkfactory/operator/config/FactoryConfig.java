package dev.darkfactory.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/**
 * The operator's settings ({@code darkfactory.*} in application.properties, or {@code
 * DARKFACTORY_*} environment variables, which the Helm chart sets).
 */
@ConfigMapping(prefix = "darkfactory")
public interface FactoryConfig {

    /** Runs in flight at once across the operator; more wait in phase Queued, oldest first. */
    @WithDefault("2")
    int maxConcurrentRuns();

    /** Finished runs kept per intent; older ones are deleted with their pods. */
    @WithDefault("5")
    int runHistoryLimit();

    /** Image of the stations (the operator's own image). */
    @WithDefault("darkfactory/operator:latest")
    String stationImage();

    /** Pull policy of the station image. */
    @WithDefault("IfNotPresent")
    String stationImagePullPolicy();

    /**
     * Registry the build station pushes to, host[:port][/path], for example
     * registry.local:5000/darkfactory.
     */
    @WithDefault("registry.darkfactory.svc:5000")
    String registry();

    /** Plain HTTP to the registry; allowed only for registries marked insecure. */
    @WithDefault("false")
    boolean registryInsecure();

    /**
     * Secret (type kubernetes.io/dockerconfigjson, in each intent's namespace) with push
     * credentials.
     */
    Optional<String> registryPushSecret();

    /**
     * Secret (type kubernetes.io/dockerconfigjson, in each intent's namespace) with pull-only
     * credentials, for the prepare station to restore the previous source; unset means anonymous
     * pull.
     */
    Optional<String> registryPullSecret();

    /**
     * Base images an app manifest may name when its GeneratorClass lists none (exact, or prefix
     * ending in '*').
     */
    @WithDefault("registry.darkfactory.svc:5000/base/*")
    List<String> allowedBaseImages();

    /** How long the tester waits for the app's health path. */
    @WithDefault("60s")
    String healthTimeout();
}
