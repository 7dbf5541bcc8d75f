package dev.darkfactory.operator.station;

import java.util.LinkedHashSet;
import java.util.Set;

/** Turns exceptions into the short text that goes into termination messages. */
public final class Errors {

    private Errors() {
    }

    /**
     * The messages of the exception and its causes, joined; the JDK leaves many of them empty
     * (a refused connection is a bare {@code ConnectException}), so those show their type.
     */
    public static String describe(Throwable error) {
        Set<String> parts = new LinkedHashSet<>();
        for (Throwable current = error; current != null && parts.size() < 4; current = current.getCause()) {
            String message = current.getMessage();
            parts.add(message == null || message.isBlank() ? current.getClass().getSimpleName() : message.strip());
        }
        return String.join(": ", parts);
    }
}
