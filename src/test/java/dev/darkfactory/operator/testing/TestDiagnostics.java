package dev.darkfactory.operator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;

/**
 * What a failed API-server test leaves for whoever reads the build's output: its namespace dump and
 * the operator's threads at the moment of failure, printed and kept in {@code
 * target/test-diagnostics/}, which {@code make test} prints after a failure (CI keeps only the end
 * of Maven's output, and surefire's reports go with its clone). The threads show a reconcile stuck
 * on a lock or a call, or an informer's watch not being read.
 */
public final class TestDiagnostics {

    /** Where the diagnostics go, next to surefire's reports. */
    public static final Path DIRECTORY = Path.of("target", "test-diagnostics");

    private TestDiagnostics() {}

    /**
     * Prints the operator's threads and {@code dump}, and keeps both under the test's name; a test
     * recorded already (at its timeout, closer to the failure than its teardown) keeps that record.
     */
    public static void record(String test, String dump) {
        Path file = DIRECTORY.resolve(test + ".txt");
        if (Files.exists(file)) {
            return;
        }
        // The dump last: the end of the output is what a truncated log keeps.
        String text = operatorThreads() + "\n" + dump;
        System.out.println(text);
        try {
            Files.createDirectories(DIRECTORY);
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The outermost test method on the calling thread's stack, as {@code Class.method}. */
    static String callingTest() {
        return StackWalker.getInstance()
                .walk(
                        frames ->
                                frames.filter(f -> f.getClassName().endsWith("Test"))
                                        .reduce((inner, outer) -> outer)
                                        .map(
                                                f ->
                                                        simpleName(f.getClassName())
                                                                + "."
                                                                + f.getMethodName())
                                        .orElse("unknown-test"));
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    /**
     * The stacks of the threads that reconcile, dispatch events and carry the API server's answers;
     * the JVM's other threads (JUnit's, surefire's, the JIT's) say nothing about a stalled
     * operator.
     */
    static String operatorThreads() {
        StringBuilder out = new StringBuilder("-- operator threads\n");
        Arrays.stream(ManagementFactory.getThreadMXBean().dumpAllThreads(true, true))
                .filter(TestDiagnostics::operatorThread)
                .sorted(Comparator.comparing(ThreadInfo::getThreadName))
                .forEach(
                        t -> {
                            out.append('"')
                                    .append(t.getThreadName())
                                    .append("\" ")
                                    .append(t.getThreadState());
                            if (t.getLockName() != null) {
                                out.append(" on ").append(t.getLockName());
                            }
                            if (t.getLockOwnerName() != null) {
                                out.append(" held by \"").append(t.getLockOwnerName()).append('"');
                            }
                            out.append('\n');
                            Arrays.stream(t.getStackTrace())
                                    .limit(12)
                                    .forEach(f -> out.append("    at ").append(f).append('\n'));
                        });
        return out.toString();
    }

    private static boolean operatorThread(ThreadInfo thread) {
        String name = thread.getThreadName();
        return name.startsWith("ReconcilerExecutor")
                || name.startsWith("vert.x-eventloop")
                || name.startsWith("vert.x-worker")
                || name.startsWith("Informer")
                || name.startsWith("pool-")
                || name.startsWith("ForkJoinPool")
                || name.startsWith("Controller Starter")
                || name.contains("Timer");
    }
}
