package dev.darkfactory.operator.intent;

import dev.darkfactory.operator.api.v1alpha1.Annotations;
import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunSpec;
import dev.darkfactory.operator.api.v1alpha1.GeneratorClass;
import dev.darkfactory.operator.api.v1alpha1.GeneratorSnapshot;
import dev.darkfactory.operator.api.v1alpha1.Labels;
import dev.darkfactory.operator.api.v1alpha1.OwnerReferences;
import dev.darkfactory.operator.api.v1alpha1.RunTrigger;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.run.RunNames;
import dev.darkfactory.operator.run.RunOrder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides which FactoryRun an intent should have now, from the intent, its GeneratorClass and the
 * runs that exist. A run stands for one (intent generation, class version, rebuild request); its
 * name is derived from those, so planning again after a restart finds the same run.
 */
public final class RunPlanner {

    private RunPlanner() {}

    /**
     * @param create the run to create, or null when the wanted run exists (or the intent is paused)
     * @param latest the run the intent's status reports: the wanted one, or the newest
     * @param superseded runs still in flight that the latest run supersedes: they learn it from the
     *     intent's status ({@code latestRun}) and cancel themselves
     * @param delete finished runs beyond the history limit
     */
    public record Plan(
            FactoryRun create,
            FactoryRun latest,
            List<FactoryRun> superseded,
            List<FactoryRun> delete) {}

    public static Plan plan(
            SoftwareIntent intent,
            GeneratorClass generatorClass,
            List<FactoryRun> runs,
            int historyLimit) {
        String serving = intent.getStatus() == null ? null : intent.getStatus().servingRun;
        List<FactoryRun> newestFirst = runs.stream().sorted(RunOrder.NEWEST_FIRST).toList();
        String wanted =
                RunNames.run(
                        intent.getMetadata().getName(),
                        intent.getMetadata().getUid(),
                        intent.getMetadata().getGeneration(),
                        generatorClass.getMetadata().getUid(),
                        generatorClass.getMetadata().getGeneration(),
                        rebuildToken(intent));
        FactoryRun existing =
                newestFirst.stream()
                        .filter(r -> r.getMetadata().getName().equals(wanted))
                        .findFirst()
                        .orElse(null);

        FactoryRun create = null;
        FactoryRun latest = existing;
        if (existing == null) {
            if (intent.getSpec().pauseRequested()) {
                latest = newestFirst.isEmpty() ? null : newestFirst.get(0);
            } else {
                create = newRun(wanted, intent, generatorClass, newestFirst);
                latest = create;
            }
        }
        String keep = latest == null ? null : latest.getMetadata().getName();
        List<FactoryRun> superseded =
                keep == null || intent.getSpec().pauseRequested()
                        ? List.of()
                        : newestFirst.stream()
                                .filter(r -> !r.getMetadata().getName().equals(keep))
                                .filter(r -> !finished(r))
                                .toList();
        return new Plan(
                create,
                latest,
                superseded,
                beyondHistory(
                        newestFirst,
                        List.of(String.valueOf(keep), String.valueOf(serving)),
                        historyLimit));
    }

    private static FactoryRun newRun(
            String name,
            SoftwareIntent intent,
            GeneratorClass generatorClass,
            List<FactoryRun> newestFirst) {
        FactoryRunSpec spec = new FactoryRunSpec();
        spec.intentName = intent.getMetadata().getName();
        spec.intentGeneration = intent.getMetadata().getGeneration();
        spec.intent = Serialization.clone(intent.getSpec());
        spec.generator =
                new GeneratorSnapshot(
                        generatorClass.getMetadata().getName(),
                        generatorClass.getMetadata().getGeneration(),
                        Serialization.clone(generatorClass.getSpec()));
        spec.rebuildToken = rebuildToken(intent);
        spec.trigger = trigger(spec, newestFirst.isEmpty() ? null : newestFirst.get(0));
        spec.previousSource = lastSource(newestFirst);

        FactoryRun run = new FactoryRun();
        run.setMetadata(
                new ObjectMetaBuilder()
                        .withName(name)
                        .withNamespace(intent.getMetadata().getNamespace())
                        .withLabels(
                                Map.of(
                                        Labels.MANAGED_BY,
                                        Labels.MANAGER,
                                        Labels.INTENT,
                                        intent.getMetadata().getName()))
                        .withOwnerReferences(OwnerReferences.controlledBy(intent))
                        .build());
        run.setSpec(spec);
        return run;
    }

    private static RunTrigger trigger(FactoryRunSpec wanted, FactoryRun newest) {
        if (newest == null
                || !Objects.equals(newest.getSpec().intentGeneration, wanted.intentGeneration)) {
            return RunTrigger.SpecChanged;
        }
        GeneratorSnapshot before = newest.getSpec().generator;
        if (!Objects.equals(before.className, wanted.generator.className)
                || !Objects.equals(before.classGeneration, wanted.generator.classGeneration)) {
            return RunTrigger.GeneratorClassChanged;
        }
        return RunTrigger.RebuildRequested;
    }

    /**
     * The source archive of the newest attempt that left one, so a new generation starts from it.
     */
    private static String lastSource(List<FactoryRun> newestFirst) {
        for (FactoryRun run : newestFirst) {
            if (run.getStatus() != null) {
                List<AttemptStatus> attempts = run.getStatus().attempts;
                for (int i = attempts.size() - 1; i >= 0; i--) {
                    if (attempts.get(i).sourceImage != null) {
                        return attempts.get(i).sourceImage;
                    }
                }
            }
            if (run.getSpec().previousSource != null) {
                return run.getSpec().previousSource;
            }
        }
        return null;
    }

    /**
     * Finished runs past the newest {@code limit}; the latest run, the serving one and runs in
     * flight are always kept.
     */
    private static List<FactoryRun> beyondHistory(
            List<FactoryRun> newestFirst, List<String> keep, int limit) {
        List<FactoryRun> delete = new ArrayList<>();
        int kept = 0;
        for (FactoryRun run : newestFirst) {
            boolean protectedRun = keep.contains(run.getMetadata().getName()) || !finished(run);
            if (protectedRun || kept < limit) {
                kept++;
            } else {
                delete.add(run);
            }
        }
        return delete;
    }

    static boolean finished(FactoryRun run) {
        return run.getStatus() != null
                && run.getStatus().phase != null
                && run.getStatus().phase.isFinal();
    }

    static String rebuildToken(SoftwareIntent intent) {
        var annotations = intent.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(Annotations.REBUILD);
    }
}
