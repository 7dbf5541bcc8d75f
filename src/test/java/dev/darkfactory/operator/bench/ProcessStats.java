package dev.darkfactory.operator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** CPU time and memory of a process, from Linux's /proc, and its live heap through jcmd. */
final class ProcessStats {

    /** USER_HZ: the unit of utime and stime in /proc/<pid>/stat on Linux. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessStats() {}

    /** User plus system CPU seconds the process has used so far. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /** A field of /proc/<pid>/status in MiB, such as VmHWM (peak resident set) or VmRSS. */
    static double statusMiB(long pid, String field) {
        try {
            Matcher value =
                    Pattern.compile("(?m)^" + field + ":\\s+(\\d+) kB")
                            .matcher(
                                    Files.readString(
                                            Path.of("/proc", Long.toString(pid), "status")));
            return value.find() ? Long.parseLong(value.group(1)) / 1024.0 : Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /**
     * Bytes of live objects in MiB: jcmd's class histogram runs a full GC first and sums what
     * survives. The whole histogram is kept in {@code target/bench-heap-histogram.txt}, to see
     * where the memory goes.
     */
    static double liveHeapMiB(long pid) {
        try {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process process =
                    new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
                            .redirectErrorStream(true)
                            .start();
            String out = new String(process.getInputStream().readAllBytes());
            process.waitFor(60, TimeUnit.SECONDS);
            Files.writeString(Path.of("target", "bench-heap-histogram.txt"), out);
            Matcher total = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(out);
            return total.find() ? Long.parseLong(total.group(1)) / 1024.0 / 1024.0 : Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }
}
