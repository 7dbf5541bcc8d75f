package dev.darkfactory.operator.api.v1alpha1;

/** Who may reach a served app on its port (its NetworkPolicy's ingress rule). */
public enum IngressFrom {
    /** Pods of the intent's own namespace. */
    Namespace,
    /** Pods of every namespace of the cluster. */
    Cluster,
    /**
     * Any source, inside or outside the cluster (ingress controllers on the host network, load
     * balancers).
     */
    Anywhere
}
