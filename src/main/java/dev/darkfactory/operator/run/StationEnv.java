package dev.darkfactory.operator.run;

/** Environment variables and paths through which the operator configures the stations (docs/stations.md). */
public final class StationEnv {

    public static final String STATION_LAUNCHER = "/deployments/station";

    public static final String REGISTRY_INSECURE = "DF_REGISTRY_INSECURE";
    public static final String IMAGE_REPOSITORY = "DF_IMAGE_REPOSITORY";
    public static final String IMAGE_TAG = "DF_IMAGE_TAG";
    public static final String ALLOWED_BASE_IMAGES = "DF_ALLOWED_BASE_IMAGES";
    public static final String DOCKER_CONFIG = "DF_DOCKER_CONFIG";
    public static final String DEFAULT_PORT = "DF_DEFAULT_PORT";
    public static final String GENERATE_TIMEOUT = "DF_GENERATE_TIMEOUT";
    public static final String APP_URL = "DF_APP_URL";
    public static final String HEALTH_PATH = "DF_HEALTH_PATH";
    public static final String HEALTH_TIMEOUT = "DF_HEALTH_TIMEOUT";

    public static final String INPUT_DIR = "/input";
    public static final String CHECKS_DIR = "/checks";
    public static final String HOLDOUT_DIR = "/checks/holdout";
    public static final String REGISTRY_AUTH_DIR = "/var/run/darkfactory/registry";
    /** Pull-only registry credentials of the prepare station (registry.pullSecret). */
    public static final String REGISTRY_PULL_AUTH_DIR = "/var/run/darkfactory/registry-pull";

    public static final String VISIBLE_CHECKS_KEY = "visible.json";
    public static final String HOLDOUT_CHECKS_KEY = "holdout.json";
    /** The scenarios, beside the checks: in the ConfigMap the visible ones, in the Secret the held-out ones. */
    public static final String SCENARIOS_KEY = "scenarios.json";

    private StationEnv() {
    }
}
