package dev.darkfactory.operator.api.v1alpha1;

/** The three values the Kubernetes API conventions allow for a condition's status. */
public enum ConditionStatus {
    True,
    False,
    Unknown;

    public static ConditionStatus of(boolean value) {
        return value ? True : False;
    }
}
