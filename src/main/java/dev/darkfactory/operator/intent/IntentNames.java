package dev.darkfactory.operator.intent;

import dev.darkfactory.operator.run.RunNames;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What an intent's name must be beyond what Kubernetes already checks. Kubernetes accepts any DNS
 * subdomain ({@code my.app}, {@code 2048-game}); the intent's Service takes the same name and must
 * be a DNS-1035 label, and run, pod and Secret names are made from it. Checked before anything is
 * created, so a bad name never leaves a Deployment without its Service behind.
 */
final class IntentNames {

    private static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

    private IntentNames() {}

    static List<SpecProblem> problems(String name) {
        List<SpecProblem> problems = new ArrayList<>();
        if (name.length() > RunNames.MAX_INTENT_NAME) {
            problems.add(
                    new SpecProblem(
                            "metadata.name",
                            "NameTooLong",
                            "must be at most "
                                    + RunNames.MAX_INTENT_NAME
                                    + " characters: run, pod and Secret names are made from it"));
        }
        if (!DNS_1035_LABEL.matcher(name).matches()) {
            problems.add(
                    new SpecProblem(
                            "metadata.name",
                            "NameNotAServiceName",
                            "\""
                                    + name
                                    + "\" cannot name the intent's Service: it must start with a lowercase letter and hold only lowercase"
                                    + " letters, digits and '-' (a DNS-1035 label); recreate the intent under such a name"));
        }
        return problems;
    }
}
