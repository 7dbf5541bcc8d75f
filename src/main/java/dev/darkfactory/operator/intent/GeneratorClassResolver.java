package dev.darkfactory.operator.intent;

import dev.darkfactory.operator.api.v1alpha1.Annotations;
import dev.darkfactory.operator.api.v1alpha1.GeneratorClass;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Finds the GeneratorClass an intent uses: the one it names, or the single class marked default
 * (like a default StorageClass). Pure: it works on the classes it is given.
 */
public final class GeneratorClassResolver {

    static final String FIELD = "spec.generatorClassName";

    private GeneratorClassResolver() {}

    /** The class to use, or the problem that prevents choosing one. */
    public record Resolution(GeneratorClass generatorClass, SpecProblem problem) {
        public boolean resolved() {
            return generatorClass != null;
        }
    }

    public static Resolution resolve(String className, Collection<GeneratorClass> classes) {
        if (className != null) {
            return classes.stream()
                    .filter(c -> className.equals(c.getMetadata().getName()))
                    .findFirst()
                    .map(c -> new Resolution(c, null))
                    .orElseGet(
                            () ->
                                    problem(
                                            "GeneratorClassNotFound",
                                            "GeneratorClass \""
                                                    + className
                                                    + "\" does not exist; create it or name an existing class"));
        }
        List<GeneratorClass> defaults =
                classes.stream()
                        .filter(GeneratorClass::markedDefault)
                        .sorted(Comparator.comparing(c -> c.getMetadata().getName()))
                        .toList();
        if (defaults.isEmpty()) {
            return problem(
                    "NoDefaultGeneratorClass",
                    "not set, and no GeneratorClass is annotated "
                            + Annotations.DEFAULT_CLASS
                            + "=true; name a class or mark one as default");
        }
        if (defaults.size() > 1) {
            return problem(
                    "AmbiguousDefaultGeneratorClass",
                    "not set, and "
                            + defaults.size()
                            + " GeneratorClasses are marked default ("
                            + names(defaults)
                            + "); name one, or keep the annotation on a single class");
        }
        return new Resolution(defaults.get(0), null);
    }

    private static Resolution problem(String reason, String detail) {
        return new Resolution(null, new SpecProblem(FIELD, reason, detail));
    }

    private static String names(List<GeneratorClass> classes) {
        return String.join(", ", classes.stream().map(c -> c.getMetadata().getName()).toList());
    }
}
