package dev.darkfactory.operator.api.v1alpha1;

/** Why a FactoryRun started. */
public enum RunTrigger {
    /** The intent is new or its spec changed (a new metadata.generation). */
    SpecChanged,
    /** The GeneratorClass the intent resolves to changed. */
    GeneratorClassChanged,
    /** Someone set a new value of the darkfactory.dev/rebuild annotation. */
    RebuildRequested
}
