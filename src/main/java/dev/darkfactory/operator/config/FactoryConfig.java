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

    /**
     * Runs in flight at once per namespace, beside the operator-wide cap; 0 means no cap of its
     * own. Queued runs are admitted taking namespaces in turn, oldest first within each.
     */
    @WithDefault("0")
    int maxConcurrentRunsPerNamespace();

    /**
     * Infrastructure failures in a row (missing Secret, unpullable image, unschedulable pod, quota,
     * eviction, registry or model outage, an object a deleted run of the same name left) a run
     * retries before it stops; none is charged as an attempt.
     */
    @WithDefault("8")
    int infraRetryLimit();

    /**
     * Wait before the first retry after an infrastructure failure; doubled per failure in a row.
     */
    @WithDefault("30s")
    String infraRetryInitialBackoff();

    /** Longest wait between retries after infrastructure failures. */
    @WithDefault("10m")
    String infraRetryMaxBackoff();

    /**
     * How long a pod may stay unschedulable (PodScheduled=False) before the run reports
     * Unschedulable: the scheduler may be preempting or binding volumes, or an autoscaler adding a
     * node. Raise it to the autoscaler's scale-up time where one runs.
     */
    @WithDefault("30s")
    String unschedulableGrace();

    /**
     * How often a queued run looks at the queue again. A run that gives up its slot, or is deleted
     * while it holds one, wakes the runs the slot goes to, so this is only the safety net: for a
     * woken run that turned out to hold no place (superseded), or a pod event the watch lost.
     */
    @WithDefault("30s")
    String queueRecheck();

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

    /**
     * Trials of one attempt whose tester pods run at once (docs/gate.md); the others start as these
     * finish.
     */
    @WithDefault("3")
    int maxParallelTrials();

    /**
     * How long the revision that served before a promotion or rollback keeps its replicas after the
     * Service switched: kube-proxy on every node must take the new endpoints before the old pods
     * go, or requests in flight to them are dropped (docs/gate.md, promotion).
     */
    @WithDefault("20s")
    String serveDrain();

    /** How long the tester waits for the app's health path. */
    @WithDefault("60s")
    String healthTimeout();

    /**
     * Egress every generator pod gets besides DNS (docs/security.md): a JSON array of Kubernetes
     * NetworkPolicy egress rules, such as the registry and the gateway. The chart builds it from
     * networkPolicy.*; unset means DNS only.
     */
    Optional<String> generatorEgress();

    /**
     * Resource bounds on every pod the operator makes (generator, tester and serving pods), so that
     * a ResourceQuota on limits admits them and no run can take a node's CPU or fill its disk
     * (config/PodBounds, docs/configuration.md).
     */
    Pods pods();

    /** {@code darkfactory.pods.*}: Kubernetes quantities. */
    interface Pods {

        /** CPU limit of station containers, and of a generator whose class sets none. */
        @WithDefault("1")
        String stationCpuLimit();

        /**
         * CPU limit of the app (tester pods and serving pods) when spec.serve.resources sets none.
         */
        @WithDefault("1")
        String appCpuLimit();

        /** Ephemeral storage every container requests (its writable layer and logs). */
        @WithDefault("128Mi")
        String ephemeralStorageRequest();

        /**
         * Ephemeral storage every container may use (its writable layer and logs; the build keeps
         * its layer cache there); containers that mount the workspace get its size on top.
         */
        @WithDefault("2Gi")
        String ephemeralStorageLimit();

        /** sizeLimit of the generator pod's workspace (emptyDir): source, manifest, reports. */
        @WithDefault("2Gi")
        String workspaceSizeLimit();
    }
}
