package dev.darkfactory.operator.gateway;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a server-sent event stream, fed in arbitrary chunks, into the data of its events. The
 * bytes themselves are forwarded untouched elsewhere; this only watches them. A line longer than
 * {@code maxLine} is skipped (its event is then not read), so a hostile stream cannot grow memory.
 */
final class SseEvents {

    private final Consumer<String> onData;
    private final int maxLine;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final StringBuilder data = new StringBuilder();
    private boolean lineTooLong;

    SseEvents(Consumer<String> onData, int maxLine) {
        this.onData = onData;
        this.maxLine = maxLine;
    }

    void feed(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                endLine();
            } else if (b != '\r') {
                if (line.size() < maxLine) {
                    line.write(b);
                } else {
                    lineTooLong = true;
                }
            }
        }
    }

    /** The end of the stream also ends a last event that lacks its blank line. */
    void finish() {
        if (line.size() > 0) {
            endLine();
        }
        dispatch();
    }

    private void endLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        boolean skip = lineTooLong;
        line.reset();
        lineTooLong = false;
        if (text.isEmpty()) {
            dispatch();
        } else if (!skip && text.startsWith("data:")) {
            if (data.length() > 0) {
                data.append('\n');
            }
            data.append(text.startsWith("data: ") ? text.substring(6) : text.substring(5));
        }
    }

    private void dispatch() {
        if (data.length() > 0) {
            onData.accept(data.toString());
            data.setLength(0);
        }
    }
}
