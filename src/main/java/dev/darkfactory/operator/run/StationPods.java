package dev.darkfactory.operator.run;

import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.GeneratorClassSpec;
import dev.darkfactory.operator.api.v1alpha1.Labels;
import dev.darkfactory.operator.api.v1alpha1.ServeSpec;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentSpec;
import dev.darkfactory.operator.config.FactoryConfig;
import dev.darkfactory.operator.config.PodBounds;
import dev.darkfactory.operator.contract.Redactor;
import dev.darkfactory.operator.contract.StationContract.Env;
import dev.darkfactory.operator.contract.StationContract.Paths;
import dev.darkfactory.operator.gateway.GatewayCredentials;
import dev.darkfactory.operator.util.Durations;
import dev.darkfactory.operator.workload.AppOutput;
import dev.darkfactory.operator.workload.EnvVars;
import dev.darkfactory.operator.workload.NetworkPolicies;
import dev.darkfactory.operator.workload.PodSecurity;
import dev.darkfactory.operator.workload.Resources;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The desired pods of an attempt (docs/station-contract.md): the generator pod, whose stations run
 * in order as init containers on a shared workspace, and the tester pod, with the built app beside
 * the tester. Pure builders, so they are tested without a cluster.
 */
public final class StationPods {

    private static final String WORKSPACE = "workspace";
    private static final String INPUT = "input";
    private static final String CHECKS = "checks";
    private static final String HOLDOUT = "holdout";
    private static final String REGISTRY_AUTH = "registry-auth";
    private static final String REGISTRY_PULL_AUTH = "registry-pull-auth";

    private final FactoryConfig settings;
    private final GatewayCredentials gateway;
    private final PodBounds bounds;

    public StationPods(FactoryConfig settings) {
        this(settings, GatewayCredentials.disabled());
    }

    public StationPods(FactoryConfig settings, GatewayCredentials gateway) {
        this.settings = settings;
        this.gateway = gateway;
        this.bounds = PodBounds.of(settings);
    }

    public Pod generatorPod(FactoryRun run, int attempt) {
        String runName = run.getMetadata().getName();
        GeneratorClassSpec generator = run.getSpec().generator.spec;
        Container generate =
                new ContainerBuilder()
                        .withName(GeneratorPodReader.GENERATE)
                        .withImage(generator.image)
                        .withImagePullPolicy(generator.imagePullPolicy)
                        .withCommand(generator.command)
                        .withArgs(generator.args)
                        // Classes with a provider reach the model through the gateway: its URL and
                        // a per-attempt token.
                        .withEnv(gateway.applyTo(generateEnv(run), run, attempt))
                        .withWorkingDir(Paths.SOURCE)
                        .withResources(Resources.stationOnWorkspace(generator.resources, bounds))
                        .withVolumeMounts(mount(WORKSPACE, Paths.WORKSPACE))
                        .withSecurityContext(PodSecurity.container())
                        .withTerminationMessagePolicy("FallbackToLogsOnError")
                        .build();
        List<Volume> volumes =
                new ArrayList<>(
                        List.of(
                                new VolumeBuilder()
                                        .withName(WORKSPACE)
                                        .withNewEmptyDir()
                                        .withSizeLimit(bounds.workspaceSizeLimit())
                                        .endEmptyDir()
                                        .build(),
                                new VolumeBuilder()
                                        .withName(INPUT)
                                        .withNewConfigMap()
                                        .withName(RunNames.inputConfigMap(runName, attempt))
                                        .endConfigMap()
                                        .build()));
        secretVolume(REGISTRY_AUTH, settings.registryPushSecret()).ifPresent(volumes::add);
        secretVolume(REGISTRY_PULL_AUTH, settings.registryPullSecret()).ifPresent(volumes::add);
        ObjectMeta metadata =
                RunObjects.owned(
                        run, RunNames.generatorPod(runName, attempt), "generator", attempt);
        // Ties the pod to the NetworkPolicy allowing its class's egress (workload/NetworkPolicies).
        String egress = NetworkPolicies.egressDigest(generator.egress);
        if (egress != null) {
            metadata.getLabels().put(Labels.EGRESS, egress);
        }
        return new PodBuilder()
                .withMetadata(metadata)
                .withNewSpec()
                .withRestartPolicy("Never")
                .withActiveDeadlineSeconds(deadlineSeconds(run.getSpec().intent))
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withRuntimeClassName(generator.runtimeClassName)
                .withSecurityContext(PodSecurity.pod())
                .withInitContainers(
                        station(
                                GeneratorPodReader.PREPARE,
                                withSecret(
                                        List.of(
                                                mount(WORKSPACE, Paths.WORKSPACE),
                                                mount(INPUT, Paths.INPUT_DIR)),
                                        REGISTRY_PULL_AUTH,
                                        settings.registryPullSecret(),
                                        Paths.REGISTRY_PULL_AUTH_DIR),
                                prepareEnv(run)),
                        generate,
                        station(
                                GeneratorPodReader.BUILD,
                                withSecret(
                                        List.of(mount(WORKSPACE, Paths.WORKSPACE)),
                                        REGISTRY_AUTH,
                                        settings.registryPushSecret(),
                                        Paths.REGISTRY_AUTH_DIR),
                                buildEnv(run, attempt)))
                .withContainers(
                        station(
                                GeneratorPodReader.REPORT,
                                List.of(mount(WORKSPACE, Paths.WORKSPACE)),
                                List.of()))
                .withVolumes(volumes)
                .endSpec()
                .build();
    }

    public Pod testerPod(FactoryRun run, AttemptStatus attempt) {
        return testerPod(run, attempt, 1);
    }

    /**
     * The tester pod of one trial: a freshly started app beside a tester that runs every check and
     * scenario once, with values of its own.
     */
    public Pod testerPod(FactoryRun run, AttemptStatus attempt, int trial) {
        String runName = run.getMetadata().getName();
        SoftwareIntentSpec intent = run.getSpec().intent;
        ServeSpec serve = intent.serveOrDefault();
        Container app =
                new ContainerBuilder()
                        .withName(TesterPodReader.APP)
                        .withImage(attempt.image)
                        .withImagePullPolicy("IfNotPresent")
                        .withEnv(EnvVars.of(serve.env))
                        .withPorts(
                                new io.fabric8.kubernetes.api.model.ContainerPortBuilder()
                                        .withName("http")
                                        .withContainerPort(serve.port)
                                        .build())
                        .withResources(Resources.app(serve.resources, bounds))
                        .withSecurityContext(PodSecurity.container())
                        .withTerminationMessagePolicy(
                                AppOutput.terminationMessagePolicy(serve.forwardsAppOutput()))
                        .build();
        Container tester = tester(intent, "http://127.0.0.1:" + serve.port, 1);
        return new PodBuilder()
                .withMetadata(
                        RunObjects.owned(
                                run,
                                RunNames.testerPod(runName, attempt.number, trial),
                                "tester",
                                attempt.number))
                .withNewSpec()
                .withRestartPolicy("Never")
                .withActiveDeadlineSeconds(deadlineSeconds(intent))
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withSecurityContext(PodSecurity.pod())
                .withContainers(app, tester)
                .withVolumes(checkVolumes(runName))
                .endSpec()
                .build();
    }

    /**
     * The pod that verifies a candidate revision in its production configuration: the tester of the
     * run whose image it runs, with that run's visible and held-out checks, sending its requests to
     * {@code appUrl} (the candidate Service's cluster IP: the lab cluster has no DNS) instead of to
     * an app beside it. The caller gives its metadata: the intent owns it.
     */
    public Pod verifierPod(FactoryRun run, ObjectMeta metadata, String appUrl) {
        SoftwareIntentSpec intent = run.getSpec().intent;
        return new PodBuilder()
                .withMetadata(metadata)
                .withNewSpec()
                .withRestartPolicy("Never")
                .withActiveDeadlineSeconds(deadlineSeconds(intent))
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withSecurityContext(PodSecurity.pod())
                .withContainers(
                        tester(
                                intent,
                                appUrl,
                                intent.serveOrDefault().verificationTrialsOrDefault()))
                .withVolumes(checkVolumes(run.getMetadata().getName()))
                .endSpec()
                .build();
    }

    /**
     * The tester container: the intent's custom test image, or the built-in tester station, running
     * {@code trials} trials against the app at {@code appUrl}.
     */
    private Container tester(SoftwareIntentSpec intent, String appUrl, int trials) {
        ServeSpec serve = intent.serveOrDefault();
        List<VolumeMount> checkMounts =
                List.of(mount(CHECKS, Paths.CHECKS_DIR), mount(HOLDOUT, Paths.HOLDOUT_DIR));
        List<EnvVar> testerEnv =
                new ArrayList<>(
                        List.of(
                                EnvVars.plain(Env.APP_URL, appUrl),
                                EnvVars.plain(Env.HEALTH_PATH, serve.healthPath),
                                EnvVars.plain(Env.HEALTH_TIMEOUT, settings.healthTimeout())));
        // Unset means one: the pods of one trial each stay as they were.
        if (trials > 1) {
            testerEnv.add(EnvVars.plain(Env.TRIALS, String.valueOf(trials)));
        }
        return intent.acceptance.image != null
                ? new ContainerBuilder()
                        .withName(TesterPodReader.TESTER)
                        .withImage(intent.acceptance.image)
                        .withCommand(intent.acceptance.command)
                        .withEnv(testerEnv)
                        .withVolumeMounts(checkMounts)
                        .withResources(Resources.station(null, bounds))
                        .withSecurityContext(PodSecurity.container())
                        .withTerminationMessagePolicy("FallbackToLogsOnError")
                        .build()
                : station(
                        TesterPodReader.TESTER,
                        "test",
                        checkMounts,
                        withRedaction(testerEnv, serve));
    }

    /**
     * The run's visible checks (ConfigMap) and held-out checks (Secret, only the tester mounts).
     */
    private static List<Volume> checkVolumes(String runName) {
        return List.of(
                new VolumeBuilder()
                        .withName(CHECKS)
                        .withNewConfigMap()
                        .withName(RunNames.checksConfigMap(runName))
                        .endConfigMap()
                        .build(),
                new VolumeBuilder()
                        .withName(HOLDOUT)
                        .withNewSecret()
                        .withSecretName(RunNames.holdoutSecret(runName))
                        .endSecret()
                        .build());
    }

    /**
     * The built-in tester redacts the app's Secret values from its report, so it gets them
     * (docs/gate.md).
     */
    private static List<EnvVar> withRedaction(List<EnvVar> env, ServeSpec serve) {
        List<EnvVar> all = new ArrayList<>(env);
        all.addAll(EnvVars.secretsUnder(Redactor.ENV_PREFIX, serve.env));
        return all;
    }

    private Container station(String name, List<VolumeMount> mounts, List<EnvVar> env) {
        return station(name, name, mounts, env);
    }

    /**
     * {@code mounts} plus the registry Secret {@code secret} at {@code dir} when one is configured.
     * Credentials reach only the container that uses them: push to build, pull to prepare, none to
     * generate and report, whose files a generator could have planted links among.
     */
    private static List<VolumeMount> withSecret(
            List<VolumeMount> mounts, String volume, Optional<String> secret, String dir) {
        List<VolumeMount> all = new ArrayList<>(mounts);
        secret.ifPresent(s -> all.add(mount(volume, dir)));
        return all;
    }

    /** A container of the operator's own image running one station sub-command. */
    private Container station(
            String name, String command, List<VolumeMount> allMounts, List<EnvVar> env) {
        return new ContainerBuilder()
                .withName(name)
                .withImage(settings.stationImage())
                .withImagePullPolicy(settings.stationImagePullPolicy())
                .withCommand(Paths.STATION_LAUNCHER, command)
                .withEnv(env)
                .withResources(
                        allMounts.stream().anyMatch(m -> m.getName().equals(WORKSPACE))
                                ? Resources.stationOnWorkspace(null, bounds)
                                : Resources.station(null, bounds))
                .withVolumeMounts(allMounts)
                .withSecurityContext(PodSecurity.container())
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .build();
    }

    private List<EnvVar> registryEnv(Optional<String> secret, String dir) {
        List<EnvVar> env =
                new ArrayList<>(
                        List.of(
                                EnvVars.plain(
                                        Env.REGISTRY_INSECURE,
                                        Boolean.toString(settings.registryInsecure()))));
        secret.ifPresent(
                s -> env.add(EnvVars.plain(Env.DOCKER_CONFIG, dir + "/.dockerconfigjson")));
        return env;
    }

    /**
     * The class's env, plus the deadline of the generate step: the class's timeout, or the
     * attempt's less the time kept for build and report when that is shorter or the class sets
     * none. The built-in generator stops by it; a coding agent's wrapper may read it too
     * (docs/generators.md).
     */
    private static List<EnvVar> generateEnv(FactoryRun run) {
        List<EnvVar> env = new ArrayList<>(EnvVars.of(run.getSpec().generator.spec.env));
        Duration attempt = Durations.parse(run.getSpec().intent.budgetOrDefault().attemptTimeout);
        Duration forGenerate = attempt.minus(keptForBuildAndReport(attempt));
        String ofClass = run.getSpec().generator.spec.timeout;
        Duration deadline =
                ofClass == null ? forGenerate : min(Durations.parse(ofClass), forGenerate);
        env.add(EnvVars.plain(Env.GENERATE_TIMEOUT, deadline.toSeconds() + "s"));
        return env;
    }

    /**
     * What generate leaves of the attempt for build (pulling the base, pushing two images) and
     * report: a quarter of the attempt, at least two minutes, but never more than half of it.
     */
    static Duration keptForBuildAndReport(Duration attempt) {
        Duration quarter = attempt.dividedBy(4);
        Duration atLeast =
                quarter.compareTo(Duration.ofMinutes(2)) < 0 ? Duration.ofMinutes(2) : quarter;
        return min(atLeast, attempt.dividedBy(2));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * prepare restores the previous source from the registry and names the allowed base images in
     * the prompt.
     */
    private List<EnvVar> prepareEnv(FactoryRun run) {
        List<EnvVar> env =
                new ArrayList<>(
                        registryEnv(settings.registryPullSecret(), Paths.REGISTRY_PULL_AUTH_DIR));
        env.add(EnvVars.plain(Env.ALLOWED_BASE_IMAGES, String.join(",", allowedBaseImages(run))));
        return env;
    }

    private List<String> allowedBaseImages(FactoryRun run) {
        List<String> ofClass = run.getSpec().generator.spec.allowedBaseImages;
        return ofClass != null ? ofClass : settings.allowedBaseImages();
    }

    private List<EnvVar> buildEnv(FactoryRun run, int attempt) {
        List<EnvVar> env =
                new ArrayList<>(
                        registryEnv(settings.registryPushSecret(), Paths.REGISTRY_AUTH_DIR));
        env.add(
                EnvVars.plain(
                        Env.IMAGE_REPOSITORY,
                        settings.registry()
                                + "/"
                                + run.getMetadata().getNamespace()
                                + "/"
                                + run.getSpec().intentName));
        env.add(EnvVars.plain(Env.IMAGE_TAG, imageTag(run, attempt)));
        env.add(EnvVars.plain(Env.ALLOWED_BASE_IMAGES, String.join(",", allowedBaseImages(run))));
        env.add(
                EnvVars.plain(
                        Env.DEFAULT_PORT,
                        Integer.toString(run.getSpec().intent.serveOrDefault().port)));
        return env;
    }

    /**
     * {@code <run>-a<N>-<12 hex>}: the suffix is a hash of the run's UID, which the API server
     * draws at random, so nobody who cannot read the FactoryRun can name (or pre-empt) the tag; it
     * is the same on every call, so a restarted operator writes the same pod. The operator itself
     * never needs the tag: it takes the image by the digest the build reports.
     */
    static String imageTag(FactoryRun run, int attempt) {
        String uid = String.valueOf(run.getMetadata().getUid());
        try {
            byte[] hash =
                    java.security.MessageDigest.getInstance("SHA-256")
                            .digest(
                                    (uid + "/" + attempt)
                                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return run.getMetadata().getName()
                    + "-a"
                    + attempt
                    + "-"
                    + java.util.HexFormat.of().formatHex(hash).substring(0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static Optional<Volume> secretVolume(String volume, Optional<String> secret) {
        return secret.map(
                name ->
                        new VolumeBuilder()
                                .withName(volume)
                                .withNewSecret()
                                .withSecretName(name)
                                .endSecret()
                                .build());
    }

    private static VolumeMount mount(String volume, String path) {
        return new VolumeMountBuilder().withName(volume).withMountPath(path).build();
    }

    private static long deadlineSeconds(SoftwareIntentSpec intent) {
        return Durations.parse(intent.budgetOrDefault().attemptTimeout).toSeconds();
    }
}
