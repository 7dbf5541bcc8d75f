package dev.darkfactory.operator.config;

import java.util.List;

/**
 * The settings the reconcilers use, as a plain value: built from {@link FactoryConfig} in the
 * operator, and directly in tests.
 */
public record FactorySettings(
        int maxConcurrentRuns,
        int runHistoryLimit,
        String stationImage,
        String stationImagePullPolicy,
        String registry,
        boolean registryInsecure,
        String registryPushSecret,
        List<String> allowedBaseImages,
        String healthTimeout,
        String registryPullSecret) {

    public static FactorySettings from(FactoryConfig config) {
        return new FactorySettings(
                config.maxConcurrentRuns(),
                config.runHistoryLimit(),
                config.stationImage(),
                config.stationImagePullPolicy(),
                config.registry(),
                config.registryInsecure(),
                config.registryPushSecret().orElse(null),
                config.allowedBaseImages(),
                config.healthTimeout(),
                config.registryPullSecret().orElse(null));
    }

    /** The defaults of {@link FactoryConfig}, for tests. */
    public static FactorySettings defaults() {
        return new FactorySettings(
                2,
                5,
                "darkfactory/operator:latest",
                "IfNotPresent",
                "registry.darkfactory.svc:5000",
                false,
                null,
                List.of("registry.darkfactory.svc:5000/base/*"),
                "60s",
                null);
    }

    public FactorySettings withMaxConcurrentRuns(int max) {
        return new FactorySettings(
                max,
                runHistoryLimit,
                stationImage,
                stationImagePullPolicy,
                registry,
                registryInsecure,
                registryPushSecret,
                allowedBaseImages,
                healthTimeout,
                registryPullSecret);
    }

    public FactorySettings withRunHistoryLimit(int limit) {
        return new FactorySettings(
                maxConcurrentRuns,
                limit,
                stationImage,
                stationImagePullPolicy,
                registry,
                registryInsecure,
                registryPushSecret,
                allowedBaseImages,
                healthTimeout,
                registryPullSecret);
    }

    /** With these registry Secrets (either may be null), for tests. */
    public FactorySettings withRegistrySecrets(String push, String pull) {
        return new FactorySettings(
                maxConcurrentRuns,
                runHistoryLimit,
                stationImage,
                stationImagePullPolicy,
                registry,
                registryInsecure,
                push,
                allowedBaseImages,
                healthTimeout,
                pull);
    }
}
