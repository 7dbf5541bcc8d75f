package dev.darkfactory.operator.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.HttpCheck;
import dev.darkfactory.operator.api.v1alpha1.Scenario;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentSpec;
import dev.darkfactory.operator.api.v1alpha1.TestSummary;
import dev.darkfactory.operator.contract.Feedback;
import dev.darkfactory.operator.contract.StationContract.Keys;
import dev.darkfactory.operator.contract.VisibleIntent;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ConfigMaps and the Secret a run's pods read: the prepare station's inputs per attempt, the
 * visible checks for the tester, and the held-out checks, which go only into a Secret that only the
 * tester mounts.
 */
public final class RunInputs {

    private RunInputs() {}

    /**
     * Inputs of the prepare station for attempt {@code number}: visible intent, feedback, attempt,
     * previous source.
     */
    public static ConfigMap attemptInput(FactoryRun run, int number) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(Keys.INTENT, json(VisibleIntent.of(run.getSpec().intent)));
        data.put(Keys.ATTEMPT, Integer.toString(number));
        List<AttemptStatus> attempts =
                run.getStatus() == null ? List.of() : run.getStatus().attempts;
        if (number > 1 && attempts.size() >= number - 1) {
            data.put(Keys.FEEDBACK, json(feedback(attempts.get(number - 2))));
        }
        String previousSource = previousSource(run, number);
        if (previousSource != null) {
            data.put(Keys.PREVIOUS_SOURCE, previousSource);
        }
        return new ConfigMapBuilder()
                .withMetadata(
                        RunObjects.owned(
                                run,
                                RunNames.inputConfigMap(run.getMetadata().getName(), number),
                                "input",
                                number))
                .withData(data)
                .build();
    }

    public static ConfigMap visibleChecks(FactoryRun run) {
        return new ConfigMapBuilder()
                .withMetadata(
                        RunObjects.owned(
                                run,
                                RunNames.checksConfigMap(run.getMetadata().getName()),
                                "checks",
                                0))
                .withData(testerFiles(run.getSpec().intent, false, Keys.VISIBLE_CHECKS))
                .build();
    }

    public static Secret heldOutChecks(FactoryRun run) {
        return new SecretBuilder()
                .withMetadata(
                        RunObjects.owned(
                                run,
                                RunNames.holdoutSecret(run.getMetadata().getName()),
                                "holdout",
                                0))
                .withType("Opaque")
                .withStringData(testerFiles(run.getSpec().intent, true, Keys.HOLDOUT_CHECKS))
                .build();
    }

    /**
     * The checks, and the scenarios when there are any, visible or held out, as the tester reads
     * them.
     */
    private static Map<String, String> testerFiles(
            SoftwareIntentSpec spec, boolean heldOut, String checksKey) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(checksKey, json(checks(spec, heldOut)));
        List<Scenario> scenarios = scenarios(spec, heldOut);
        if (!scenarios.isEmpty()) {
            files.put(Keys.SCENARIOS, json(scenarios));
        }
        return files;
    }

    /**
     * The feedback of a failed attempt: visible failures in full, held-out checks only as counts.
     */
    public static Feedback feedback(AttemptStatus failed) {
        TestSummary tests = failed.tests;
        List<Feedback.VisibleFailure> failures =
                failed.failures == null
                        ? List.of()
                        : failed.failures.stream()
                                .map(f -> new Feedback.VisibleFailure(f.name, f.request, f.reason))
                                .toList();
        return new Feedback(
                failed.number,
                failed.reason,
                failed.message,
                failures,
                tests == null
                        ? null
                        : new Feedback.HeldOut(tests.heldOutPassed, tests.heldOutFailed),
                null);
    }

    private static List<HttpCheck> checks(SoftwareIntentSpec spec, boolean heldOut) {
        List<HttpCheck> all =
                spec.acceptance == null || spec.acceptance.checks == null
                        ? List.of()
                        : spec.acceptance.checks;
        return all.stream().filter(c -> c.heldOut() == heldOut).toList();
    }

    private static List<Scenario> scenarios(SoftwareIntentSpec spec, boolean heldOut) {
        return spec.acceptance == null
                ? List.of()
                : spec.acceptance.scenariosOrEmpty().stream()
                        .filter(s -> s.heldOut() == heldOut)
                        .toList();
    }

    /**
     * The source to start from: the last attempt's in this run that left one, else the intent's
     * last.
     */
    private static String previousSource(FactoryRun run, int number) {
        List<AttemptStatus> attempts =
                run.getStatus() == null ? List.of() : run.getStatus().attempts;
        for (int i = Math.min(number - 1, attempts.size()) - 1; i >= 0; i--) {
            if (attempts.get(i).sourceImage != null) {
                return attempts.get(i).sourceImage;
            }
        }
        return run.getSpec().previousSource;
    }

    private static String json(Object value) {
        try {
            return PodStatuses.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the API model always serialises", e);
        }
    }
}
