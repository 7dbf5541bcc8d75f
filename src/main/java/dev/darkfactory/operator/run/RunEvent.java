package dev.darkfactory.operator.run;

/** An Event the run reconciler raises on the run for a step of its life. */
public record RunEvent(boolean warning, String reason, String message) {

    static RunEvent normal(String reason, String message) {
        return new RunEvent(false, reason, message);
    }

    static RunEvent warning(String reason, String message) {
        return new RunEvent(true, reason, message);
    }
}
