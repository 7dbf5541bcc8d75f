package dev.darkfactory.operator.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.ComputeResources;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.GeneratorClassSpec;
import dev.darkfactory.operator.api.v1alpha1.ServeSpec;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentSpec;
import dev.darkfactory.operator.config.FactorySettings;
import dev.darkfactory.operator.contract.StationContract.Env;
import dev.darkfactory.operator.contract.StationContract.Paths;
import dev.darkfactory.operator.util.Durations;
import dev.darkfactory.operator.workload.EnvVars;
import dev.darkfactory.operator.workload.PodSecurity;
import dev.darkfactory.operator.workload.Resources;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;

/**
 * The desired pods of an attempt (docs/station-contract.md): the generator pod, whose stations
 * run in order as init containers on a shared workspace, and the tester pod, with the built app
 * beside the tester. Pure builders, so they are tested without a cluster.
 */
public final class StationPods {

    static final ComputeResources STATION_RESOURCES = Resources.limits("100m", "512Mi");
    static final ComputeResources APP_RESOURCES = Resources.limits("100m", "256Mi");

    private static final String WORKSPACE = "workspace";
    private static final String INPUT = "input";
    private static final String CHECKS = "checks";
    private static final String HOLDOUT = "holdout";
    private static final String REGISTRY_AUTH = "registry-auth";

    private final FactorySettings settings;

    public StationPods(FactorySettings settings) {
        this.settings = settings;
    }

    public Pod generatorPod(FactoryRun run, int attempt) {
        String runName = run.getMetadata().getName();
        GeneratorClassSpec generator = run.getSpec().generator.spec;
        Container generate = new ContainerBuilder()
                .withName(GeneratorPodReader.GENERATE)
                .withImage(generator.image)
                .withImagePullPolicy(generator.imagePullPolicy)
                .withCommand(generator.command)
                .withArgs(generator.args)
                .withEnv(generateEnv(run))
                .withWorkingDir(Paths.SOURCE)
                .withResources(Resources.of(generator.resources, STATION_RESOURCES))
                .withVolumeMounts(mount(WORKSPACE, Paths.WORKSPACE))
                .withSecurityContext(PodSecurity.container())
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .build();
        List<Volume> volumes = new ArrayList<>(List.of(
                new VolumeBuilder().withName(WORKSPACE).withNewEmptyDir().endEmptyDir().build(),
                new VolumeBuilder().withName(INPUT).withNewConfigMap()
                        .withName(RunNames.inputConfigMap(runName, attempt)).endConfigMap().build()));
        registryAuthVolume().ifPresent(volumes::add);
        return new PodBuilder()
                .withMetadata(RunObjects.owned(run, RunNames.generatorPod(runName, attempt), "generator", attempt))
                .withNewSpec()
                .withRestartPolicy("Never")
                .withActiveDeadlineSeconds(deadlineSeconds(run.getSpec().intent))
                .withAutomountServiceAccountToken(false)
                .withSecurityContext(PodSecurity.pod())
                .withInitContainers(
                        station(GeneratorPodReader.PREPARE, List.of(mount(WORKSPACE, Paths.WORKSPACE),
                                mount(INPUT, Paths.INPUT_DIR)), prepareEnv(run)),
                        generate,
                        station(GeneratorPodReader.BUILD, List.of(mount(WORKSPACE, Paths.WORKSPACE)), buildEnv(run, attempt)))
                .withContainers(station(GeneratorPodReader.REPORT, List.of(mount(WORKSPACE, Paths.WORKSPACE)), List.of()))
                .withVolumes(volumes)
                .endSpec()
                .build();
    }

    public Pod testerPod(FactoryRun run, AttemptStatus attempt) {
        String runName = run.getMetadata().getName();
        SoftwareIntentSpec intent = run.getSpec().intent;
        ServeSpec serve = intent.serveOrDefault();
        Container app = new ContainerBuilder()
                .withName(TesterPodReader.APP)
                .withImage(attempt.image)
                .withImagePullPolicy("IfNotPresent")
                .withEnv(EnvVars.of(serve.env))
                .withPorts(new io.fabric8.kubernetes.api.model.ContainerPortBuilder()
                        .withName("http").withContainerPort(serve.port).build())
                .withResources(Resources.of(serve.resources, APP_RESOURCES))
                .withSecurityContext(PodSecurity.container())
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .build();
        List<VolumeMount> checkMounts = List.of(mount(CHECKS, Paths.CHECKS_DIR), mount(HOLDOUT, Paths.HOLDOUT_DIR));
        List<EnvVar> testerEnv = List.of(
                EnvVars.plain(Env.APP_URL, "http://127.0.0.1:" + serve.port),
                EnvVars.plain(Env.HEALTH_PATH, serve.healthPath),
                EnvVars.plain(Env.HEALTH_TIMEOUT, settings.healthTimeout()));
        Container tester = intent.acceptance.image != null
                ? new ContainerBuilder().withName(TesterPodReader.TESTER).withImage(intent.acceptance.image)
                        .withCommand(intent.acceptance.command).withEnv(testerEnv).withVolumeMounts(checkMounts)
                        .withResources(Resources.of(null, STATION_RESOURCES))
                        .withSecurityContext(PodSecurity.container()).withTerminationMessagePolicy("FallbackToLogsOnError")
                        .build()
                : station(TesterPodReader.TESTER, "test", checkMounts, testerEnv);
        return new PodBuilder()
                .withMetadata(RunObjects.owned(run, RunNames.testerPod(runName, attempt.number), "tester", attempt.number))
                .withNewSpec()
                .withRestartPolicy("Never")
                .withActiveDeadlineSeconds(deadlineSeconds(intent))
                .withAutomountServiceAccountToken(false)
                .withSecurityContext(PodSecurity.pod())
                .withContainers(app, tester)
                .withVolumes(
                        new VolumeBuilder().withName(CHECKS).withNewConfigMap()
                                .withName(RunNames.checksConfigMap(runName)).endConfigMap().build(),
                        new VolumeBuilder().withName(HOLDOUT).withNewSecret()
                                .withSecretName(RunNames.holdoutSecret(runName)).endSecret().build())
                .endSpec()
                .build();
    }

    private Container station(String name, List<VolumeMount> mounts, List<EnvVar> env) {
        return station(name, name, mounts, env);
    }

    /** A container of the operator's own image running one station sub-command. */
    private Container station(String name, String command, List<VolumeMount> mounts, List<EnvVar> env) {
        List<VolumeMount> allMounts = new ArrayList<>(mounts);
        if (settings.registryPushSecret() != null && !name.equals(TesterPodReader.TESTER)) {
            allMounts.add(mount(REGISTRY_AUTH, Paths.REGISTRY_AUTH_DIR));
        }
        return new ContainerBuilder()
                .withName(name)
                .withImage(settings.stationImage())
                .withImagePullPolicy(settings.stationImagePullPolicy())
                .withCommand(Paths.STATION_LAUNCHER, command)
                .withEnv(env)
                .withResources(Resources.of(null, STATION_RESOURCES))
                .withVolumeMounts(allMounts)
                .withSecurityContext(PodSecurity.container())
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .build();
    }

    private List<EnvVar> registryEnv() {
        List<EnvVar> env = new ArrayList<>(List.of(
                EnvVars.plain(Env.REGISTRY_INSECURE, Boolean.toString(settings.registryInsecure()))));
        if (settings.registryPushSecret() != null) {
            env.add(EnvVars.plain(Env.DOCKER_CONFIG, Paths.DOCKER_CONFIG_FILE));
        }
        return env;
    }

    /**
     * The class's env, plus the deadline of the generate step: the class's timeout, or the
     * attempt's when that is shorter or the class sets none. The built-in generator stops by it;
     * a coding agent's wrapper may read it too (docs/generators.md).
     */
    private static List<EnvVar> generateEnv(FactoryRun run) {
        List<EnvVar> env = new ArrayList<>(EnvVars.of(run.getSpec().generator.spec.env));
        Duration attempt = Durations.parse(run.getSpec().intent.budgetOrDefault().attemptTimeout);
        String ofClass = run.getSpec().generator.spec.timeout;
        Duration deadline = ofClass == null ? attempt : min(Durations.parse(ofClass), attempt);
        env.add(EnvVars.plain(Env.GENERATE_TIMEOUT, deadline.toSeconds() + "s"));
        return env;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** prepare restores the previous source from the registry and names the allowed base images in the prompt. */
    private List<EnvVar> prepareEnv(FactoryRun run) {
        List<EnvVar> env = new ArrayList<>(registryEnv());
        env.add(EnvVars.plain(Env.ALLOWED_BASE_IMAGES, String.join(",", allowedBaseImages(run))));
        return env;
    }

    private List<String> allowedBaseImages(FactoryRun run) {
        List<String> ofClass = run.getSpec().generator.spec.allowedBaseImages;
        return ofClass != null ? ofClass : settings.allowedBaseImages();
    }

    private List<EnvVar> buildEnv(FactoryRun run, int attempt) {
        List<EnvVar> env = new ArrayList<>(registryEnv());
        env.add(EnvVars.plain(Env.IMAGE_REPOSITORY, settings.registry() + "/" + run.getMetadata().getNamespace()
                + "/" + run.getSpec().intentName));
        env.add(EnvVars.plain(Env.IMAGE_TAG, run.getMetadata().getName() + "-a" + attempt));
        env.add(EnvVars.plain(Env.ALLOWED_BASE_IMAGES, String.join(",", allowedBaseImages(run))));
        env.add(EnvVars.plain(Env.DEFAULT_PORT, Integer.toString(run.getSpec().intent.serveOrDefault().port)));
        return env;
    }

    private java.util.Optional<Volume> registryAuthVolume() {
        return java.util.Optional.ofNullable(settings.registryPushSecret()).map(secret -> new VolumeBuilder()
                .withName(REGISTRY_AUTH).withNewSecret().withSecretName(secret).endSecret().build());
    }

    private static VolumeMount mount(String volume, String path) {
        return new VolumeMountBuilder().withName(volume).withMountPath(path).build();
    }

    private static long deadlineSeconds(SoftwareIntentSpec intent) {
        return Durations.parse(intent.budgetOrDefault().attemptTimeout).toSeconds();
    }
}
