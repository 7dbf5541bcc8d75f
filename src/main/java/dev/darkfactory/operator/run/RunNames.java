package dev.darkfactory.operator.run;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Every name the operator gives is derived from what it names, so a restarted operator finds the
 * objects it made instead of making them twice.
 */
public final class RunNames {

    /**
     * Longest intent name: run, pod and Secret names are built from it and must stay within limits.
     */
    public static final int MAX_INTENT_NAME = 40;

    private RunNames() {}

    /**
     * The run of one intent generation, built with one generator class version and one rebuild
     * request: {@code <intent>-g<generation>-<6 hex of the rest>}. The rest includes the intent's
     * UID, so an intent deleted and created again under the same name never meets a run of the one
     * before under the name it wants.
     */
    public static String run(
            String intent,
            String intentUid,
            long generation,
            String classUid,
            long classGeneration,
            String rebuildToken) {
        String identity =
                intentUid
                        + "/"
                        + classUid
                        + "/"
                        + classGeneration
                        + "/"
                        + (rebuildToken == null ? "" : rebuildToken);
        return intent + "-g" + generation + "-" + sha256(identity).substring(0, 6);
    }

    public static String generatorPod(String run, int attempt) {
        return run + "-a" + attempt + "-gen";
    }

    public static String testerPod(String run, int attempt) {
        return testerPod(run, attempt, 1);
    }

    /** The tester pod of one trial: {@code <run>-a<N>-test}, then {@code -test-t<K>} from 2 on. */
    public static String testerPod(String run, int attempt, int trial) {
        return run + "-a" + attempt + "-test" + (trial == 1 ? "" : "-t" + trial);
    }

    /**
     * The pod that replaces a stage's pod after {@code lost} were lost to infrastructure failures:
     * {@code <pod>-r<lost>}, so the new one never waits for the old one's deletion.
     */
    public static String replacement(String pod, int lost) {
        return lost == 0 ? pod : pod + "-r" + lost;
    }

    public static String inputConfigMap(String run, int attempt) {
        return run + "-a" + attempt + "-input";
    }

    public static String checksConfigMap(String run) {
        return run + "-checks";
    }

    public static String holdoutSecret(String run) {
        return run + "-holdout";
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
