package dev.darkfactory.operator.station;

/** Turns exceptions into the short text that goes into termination messages. */
public final class Errors {

    private Errors() {}

    /**
     * The messages of the exception and its causes, joined, leaving out what an outer message
     * already says (wrappers often repeat their cause). The JDK leaves many messages empty (a
     * refused connection is a bare {@code ConnectException}), so those show their type.
     */
    public static String describe(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable current = error; current != null; current = current.getCause()) {
            String message = current.getMessage();
            String part =
                    message == null || message.isBlank()
                            ? current.getClass().getSimpleName()
                            : message.strip();
            if (text.indexOf(part) < 0) {
                text.append(text.length() == 0 ? "" : ": ").append(part);
            }
        }
        return text.toString();
    }
}
