package dev.darkfactory.operator.intent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunStatus;
import dev.darkfactory.operator.api.v1alpha1.SatisfactionStatus;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentStatus;
import org.junit.jupiter.api.Test;

/** The intent shows the satisfaction of the image that serves, not of the run being built. */
class ServingSatisfactionTest {

    private static final String OLD = "registry.test/todo@sha256:" + "1".repeat(64);
    private static final String NEW = "registry.test/todo@sha256:" + "2".repeat(64);

    @Test
    void theRunWhoseImageServesGivesIt() {
        SatisfactionStatus measured = satisfaction(0.67);
        assertThat(IntentStatusBuilder.servingSatisfaction(null, run(NEW, measured), NEW))
                .isSameAs(measured);
    }

    @Test
    void whileANewRunBuildsTheServingImageKeepsWhatItPassedWith() {
        SoftwareIntentStatus previous = new SoftwareIntentStatus();
        previous.servingImage = OLD;
        previous.satisfaction = satisfaction(1.0);

        assertThat(IntentStatusBuilder.servingSatisfaction(previous, run(null, null), OLD))
                .isSameAs(previous.satisfaction);
        assertThat(
                        IntentStatusBuilder.servingSatisfaction(
                                previous, run(NEW, satisfaction(0.5)), OLD))
                .as("a newer run's image that does not serve yet")
                .isSameAs(previous.satisfaction);
    }

    @Test
    void nothingServingOrAnImageOfUnknownGateShowsNone() {
        assertThat(IntentStatusBuilder.servingSatisfaction(null, run(NEW, satisfaction(1.0)), null))
                .isNull();
        SoftwareIntentStatus previous = new SoftwareIntentStatus();
        previous.servingImage = OLD;
        previous.satisfaction = satisfaction(1.0);
        assertThat(IntentStatusBuilder.servingSatisfaction(previous, run(null, null), NEW))
                .isNull();
    }

    private static FactoryRun run(String image, SatisfactionStatus satisfaction) {
        FactoryRun run = new FactoryRun();
        run.setStatus(new FactoryRunStatus());
        run.getStatus().image = image;
        run.getStatus().satisfaction = satisfaction;
        return run;
    }

    private static SatisfactionStatus satisfaction(double value) {
        SatisfactionStatus satisfaction = new SatisfactionStatus();
        satisfaction.value = value;
        return satisfaction;
    }
}
