package dev.darkfactory.operator.contract;

/**
 * The names both halves of the station contract use (docs/station-contract.md): the operator when
 * it builds a run's pods and inputs, the stations when they read them. Defined once, here, so the
 * two halves cannot drift apart.
 */
public final class StationContract {

    private StationContract() {}

    /** Environment variables the operator sets on station containers (and tests set in-process). */
    public static final class Env {
        /** Plain HTTP to the registry. */
        public static final String REGISTRY_INSECURE = "DF_REGISTRY_INSECURE";

        /** Path of the docker config with push credentials. */
        public static final String DOCKER_CONFIG = "DF_DOCKER_CONFIG";

        /** Repository the build station pushes the app image and source archive to. */
        public static final String IMAGE_REPOSITORY = "DF_IMAGE_REPOSITORY";

        /** Tag of the attempt's image. */
        public static final String IMAGE_TAG = "DF_IMAGE_TAG";

        /**
         * Base images an app manifest may name, comma separated (exact, or a prefix ending in '*').
         */
        public static final String ALLOWED_BASE_IMAGES = "DF_ALLOWED_BASE_IMAGES";

        /** The port of the app when its manifest names none. */
        public static final String DEFAULT_PORT = "DF_DEFAULT_PORT";

        /** How long the generate step may take, as a duration ("600s"). */
        public static final String GENERATE_TIMEOUT = "DF_GENERATE_TIMEOUT";

        /** Where the tester reaches the app. */
        public static final String APP_URL = "DF_APP_URL";

        /** The app's health path. */
        public static final String HEALTH_PATH = "DF_HEALTH_PATH";

        /** How long the tester waits for the health path. */
        public static final String HEALTH_TIMEOUT = "DF_HEALTH_TIMEOUT";

        /**
         * How many trials the tester runs against the same app, one after another, with fresh
         * generated values each (1 when unset): a candidate's verification, where the app is the
         * revision that would serve rather than one started for the trial.
         */
        public static final String TRIALS = "DF_TRIALS";

        /** Where the input ConfigMap is mounted (tests point it elsewhere). */
        public static final String INPUT_DIR = "DF_INPUT_DIR";

        /** Where the workspace is (tests point it elsewhere). */
        public static final String WORKSPACE_DIR = "DF_WORKSPACE";

        /** Where a station writes its termination message (tests point it elsewhere). */
        public static final String TERMINATION_LOG = "DF_TERMINATION_LOG";

        /** The visible checks file of the tester. */
        public static final String VISIBLE_CHECKS_FILE = "DF_CHECKS_FILE";

        /** The held-out checks file of the tester. */
        public static final String HOLDOUT_CHECKS_FILE = "DF_HOLDOUT_CHECKS_FILE";

        private Env() {}
    }

    /** Where things are mounted in the pods of an attempt. */
    public static final class Paths {
        /** The launcher of the station sub-commands in the operator image. */
        public static final String STATION_LAUNCHER = "/deployments/station";

        /** The generator pod's shared workspace. */
        public static final String WORKSPACE = "/workspace";

        /** The source, inside the workspace: the generator's working directory. */
        public static final String SOURCE = WORKSPACE + "/src";

        /**
         * The control directory inside the workspace: prompt, visible intent, feedback, attempt,
         * outputs.
         */
        public static final String CONTROL_DIR = ".darkfactory";

        /** The input ConfigMap of prepare. */
        public static final String INPUT_DIR = "/input";

        /** The visible checks ConfigMap of the tester. */
        public static final String CHECKS_DIR = "/checks";

        /** The held-out checks Secret of the tester. */
        public static final String HOLDOUT_DIR = "/checks/holdout";

        /** The push credentials Secret, in the containers that push or pull sources. */
        public static final String REGISTRY_AUTH_DIR = "/var/run/darkfactory/registry";

        /** Pull-only registry credentials of the prepare station (registry.pullSecret). */
        public static final String REGISTRY_PULL_AUTH_DIR = "/var/run/darkfactory/registry-pull";

        /** The docker config file in that Secret. */
        public static final String DOCKER_CONFIG_FILE = REGISTRY_AUTH_DIR + "/.dockerconfigjson";

        public static final String VISIBLE_CHECKS_FILE = CHECKS_DIR + "/" + Keys.VISIBLE_CHECKS;
        public static final String HOLDOUT_CHECKS_FILE = HOLDOUT_DIR + "/" + Keys.HOLDOUT_CHECKS;

        private Paths() {}
    }

    /**
     * Keys of the ConfigMaps and the Secret the operator writes, which become file names where they
     * are mounted.
     */
    public static final class Keys {
        /** The visible intent ({@link VisibleIntent}), in the input ConfigMap and the workspace. */
        public static final String INTENT = "intent.json";

        /** The feedback of the attempt before ({@link Feedback}); absent in attempt 1. */
        public static final String FEEDBACK = "feedback.json";

        /** The attempt number. */
        public static final String ATTEMPT = "attempt";

        /** The image reference of the source to start from; absent when there is none. */
        public static final String PREVIOUS_SOURCE = "previousSource";

        /** The visible checks, in the checks ConfigMap. */
        public static final String VISIBLE_CHECKS = "visible.json";

        /** The held-out checks, in the held-out Secret only the tester mounts. */
        public static final String HOLDOUT_CHECKS = "holdout.json";

        /**
         * The scenarios, beside the checks: in the ConfigMap the visible ones, in the Secret the
         * held-out ones.
         */
        public static final String SCENARIOS = "scenarios.json";

        private Keys() {}
    }
}
