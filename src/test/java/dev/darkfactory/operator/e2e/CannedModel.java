package dev.darkfactory.operator.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answers of the small OpenAI-compatible server the end-to-end suite runs in the cluster, so
 * that no test needs a real model. The app it "generates" is a static site served by busybox httpd
 * from the suite's own base image, or the todo REST API in Python on the Python base image. Which
 * answer a request gets is decided by words of the prompt (the intent's description and the
 * feedback of the previous attempt), by a CGI script.
 */
final class CannedModel {

    /** Description words that pick a scenario. */
    static final String FAIL_FIRST = "scenario-fail-first";

    static final String CRASH_ON_START = "scenario-crash-on-start";
    static final String REVISION_TWO = "revision-two";

    /**
     * An app that passes its trials but fails its checks where it serves: until the feedback names
     * a failed rollout, the answer serves the todo list only in a tester pod.
     */
    static final String BUG_WHERE_SERVED = "scenario-bug-where-served";

    /**
     * Answers with the todo REST API in Python that the demo model serves too (hack/demo-model).
     */
    static final String REST_SERVICE = "scenario-todo-rest";

    /** The Python program, shared with the demo model so both build the same service. */
    static final Path REST_APP = Path.of("hack", "demo-model", "todo_api.py");

    private static final ObjectMapper JSON = new ObjectMapper();

    private CannedModel() {}

    /**
     * The CGI script behind {@code /cgi-bin/openai/chat/completions}. A failing answer comes first
     * where the scenario wants one; the prompt of a later attempt carries the feedback ("What went
     * wrong in attempt"), which turns it into a passing answer. Its header lines end in CRLF, as
     * HTTP wants: busybox httpd passes a CGI script's headers through as written, and the gateway's
     * client (Netty) refuses a bare line feed, as a guard against response smuggling.
     */
    static String cgiScript() {
        return """
                #!/bin/sh
                body=$(head -c "${CONTENT_LENGTH:-0}")
                answer=good
                case "$body" in
                  *%s*) answer=todo-rest ;;
                  *%s*) case "$body" in *"What went wrong in attempt"*) ;; *) answer=missing-route ;; esac ;;
                  *%s*) case "$body" in *RolloutFailed*) ;; *) answer=crash-on-start ;; esac ;;
                  *%s*) case "$body" in *RolloutFailed*) ;; *) answer=bug-where-served ;; esac ;;
                esac
                case "$body" in *%s*) answer="$answer-v2" ;; esac
                printf 'Content-Type: application/json\\r\\n\\r\\n'
                cat "/answers/$answer.json" 2>/dev/null || cat /answers/good.json
                """
                .formatted(
                        REST_SERVICE, FAIL_FIRST, CRASH_ON_START, BUG_WHERE_SERVED, REVISION_TWO);
    }

    /** Every answer file, by name. */
    static Map<String, String> answers(String baseImage, String pythonBaseImage) {
        Map<String, String> answers = new LinkedHashMap<>();
        answers.put(
                "todo-rest.json",
                completion(
                        List.of(file("todo_api.py", restApp())),
                        List.of("/usr/bin/python3", "/app/todo_api.py"),
                        pythonBaseImage));
        for (String version : List.of("v1", "v2")) {
            String suffix = version.equals("v1") ? "" : "-v2";
            answers.put(
                    "good" + suffix + ".json", completion(site(version, true), serve(), baseImage));
            answers.put(
                    "missing-route" + suffix + ".json",
                    completion(site(version, false), serve(), baseImage));
            answers.put(
                    "crash-on-start" + suffix + ".json",
                    completion(site(version, true), crashOutsideTheTester(), baseImage));
            List<Map<String, String>> twoSites = new java.util.ArrayList<>(site(version, true));
            twoSites.add(file("served/healthz", "ok\n"));
            twoSites.add(file("served/version", version + "\n"));
            answers.put(
                    "bug-where-served" + suffix + ".json",
                    completion(twoSites, withoutTodosOutsideTheTester(), baseImage));
        }
        return answers;
    }

    /** healthz, todos (unless left out, which fails the list-todos check) and version. */
    private static List<Map<String, String>> site(String version, boolean withTodos) {
        List<Map<String, String>> files =
                new java.util.ArrayList<>(
                        List.of(file("www/healthz", "ok\n"), file("www/version", version + "\n")));
        if (withTodos) {
            files.add(file("www/todos", "[]\n"));
        }
        return files;
    }

    private static List<String> serve() {
        return List.of("/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/app/www");
    }

    /**
     * Serves in the tester pod (whose hostname ends in -test) but exits with an error anywhere
     * else: a revision that passes its checks and then crashes on start in the Deployment.
     */
    private static List<String> crashOutsideTheTester() {
        return List.of(
                "/bin/sh",
                "-c",
                "case $(hostname) in *-test) exec /bin/busybox httpd -f -p 8080 -h /app/www ;; "
                        + "*) echo 'fatal: cannot open /data/todos.db: no such file or directory'; exit 3 ;; esac");
    }

    /**
     * Serves the whole site in a tester pod (whose name ends in -test, or -test-tN for a later
     * trial) but a site without /todos anywhere else: healthy and Available where it serves, and
     * failing list-todos there.
     */
    private static List<String> withoutTodosOutsideTheTester() {
        return List.of(
                "/bin/sh",
                "-c",
                "case $(hostname) in *-test|*-test-t*) exec /bin/busybox httpd -f -p 8080 -h /app/www ;; "
                        + "*) exec /bin/busybox httpd -f -p 8080 -h /app/served ;; esac");
    }

    private static String completion(
            List<Map<String, String>> files, List<String> entrypoint, String baseImage) {
        Map<String, Object> content =
                Map.of(
                        "files",
                        files,
                        "manifest",
                        Map.of("baseImage", baseImage, "entrypoint", entrypoint, "port", 8080));
        Map<String, Object> answer =
                Map.of(
                        "id",
                        "chatcmpl-e2e",
                        "object",
                        "chat.completion",
                        "model",
                        "canned",
                        "choices",
                        List.of(
                                Map.of(
                                        "index",
                                        0,
                                        "finish_reason",
                                        "stop",
                                        "message",
                                        Map.of("role", "assistant", "content", json(content)))),
                        "usage",
                        Map.of(
                                "prompt_tokens",
                                900,
                                "completion_tokens",
                                100,
                                "total_tokens",
                                1000));
        return json(answer);
    }

    private static String restApp() {
        try {
            return Files.readString(REST_APP);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> file(String path, String content) {
        return Map.of("path", path, "content", content);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
