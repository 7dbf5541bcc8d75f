package dev.darkfactory.operator.api.v1alpha1;

/** Lifecycle of one attempt: the generator pod, then the tester pod, then a verdict. */
public enum AttemptPhase {
    Generating,
    Testing,
    Passed,
    Failed
}
