package dev.darkfactory.operator.chart;

import java.util.List;

/**
 * What the operator does with the Kubernetes API, and so the RBAC its chart must grant: one entry
 * per kind, each verb traced to the call that needs it. The chart tests compare the rendered RBAC
 * with this list, in both directions (nothing missing, nothing more), and run the reconcilers
 * against a real API server as the chart's ServiceAccount to prove the list is enough. Change it
 * together with the code and with helm/darkfactory/templates/_rbac.tpl.
 */
final class OperatorPermissions {

    /** Where a grant applies. */
    enum Scope {
        /** Cluster-scoped kinds: always a ClusterRole. */
        CLUSTER,
        /**
         * Every watched namespace: a ClusterRole when the operator watches all, else a Role in
         * each.
         */
        WATCHED_NAMESPACES,
        /** The release namespace only: leader election. */
        RELEASE_NAMESPACE
    }

    /**
     * Verbs on one resource (a kind's plural, or "plural/subresource"), optionally limited to one
     * object name.
     */
    record Grant(
            Scope scope,
            String apiGroup,
            String resource,
            List<String> verbs,
            String resourceName,
            String why) {}

    /** Stands in for the leader-election Lease's name, which depends on the release. */
    static final String LEASE = "<lease>";

    static final List<Grant> EXPECTED =
            List.of(
                    new Grant(
                            Scope.CLUSTER,
                            "darkfactory.dev",
                            "generatorclasses",
                            List.of("list", "watch"),
                            null,
                            "IntentReconciler: informer of GeneratorClasses"),
                    new Grant(
                            Scope.WATCHED_NAMESPACES,
                            "darkfactory.dev",
                            "softwareintents",
                            List.of("list", "watch"),
                            null,
                            "IntentReconciler: informer of its primary resource"),
                    new Grant(
                            Scope.WATCHED_NAMESPACES,
                            "darkfactory.dev",
                            "softwareintents/status",
                            List.of("patch"),
                            null,
                            "IntentReconciler: UpdateControl.patchStatus, a server-side apply"),
                    new Grant(
                            Scope.WATCHED_NAMESPACES,
                            "darkfactory.dev",
                            "softwareintents/finalizers",
                            List.of("update"),
                            null,
                            "owner references with blockOwnerDeletion to an intent (runs, Deployment, Service), under the"
                                    + " OwnerReferencesPermissionEnforcement admission plugin"),
                    new Grant(
                            Scope.WATCHED_NAMESPACES,
                            "darkfactory.dev",
                            "factoryruns/finalizers",
                            List.of("update"),
                            null,
                            "owner references with blockOwnerDeletion to a run (pods, ConfigMaps, Secrets), under the"
                                    + " OwnerReferencesPermissionEnforcement admission plugin"),
                    new Grant(
                            Scope.WATCHED_NAMESPACES,
                            "darkfactory.dev",
                            "factoryruns",
                            List.of("list", "watch", "get", "create", "patch", "delete"),
                            null,
                            "informers of both reconcilers; IntentReconciler creates runs, cancels one by edit() (get, then patch)"
                                    + " and deletes those beyond the history limit"),
                    new Grant(
                            Scope.WATCHED_NAMESPACES,
                            "darkfactory.dev",
                            "factoryruns/status",
                            List.of("patch"),
                            null,
                            "RunReconciler: UpdateControl.patchStatus, a server-side apply"),
                    new Grant(
                            Scope.WATCHED_NAMESPACES,
                            "darkfactory.dev",
                            "modelbudgets",
                            List.of("list", "watch"),
                            null,
                            "ModelBudgetReconciler (primary) and RunReconciler: informers of namespace budgets"),
                    new Grant(
                            Scope.WATCHED_NAMESPACES,
                            "darkfactory.dev",
                            "modelbudgets/status",
                            List.of("patch"),
                            null,
                            "ModelBudgetReconciler: the spend of the period, a server-side apply"),
                    new Grant(
                            Scope.WATCHED_NAMESPACES,
                            "",
                            "pods",
                            List.of("list", "watch", "get", "create", "patch", "delete"),
                            null,
                            "RunReconciler: informer of station pods, get when the cache lags a create, create;"
                                    + " PodStop: patch a finished pod's deadline (logs kept), delete one that never started"),
                    new Grant(
                            Scope.WATCHED_NAMESPACES,
                            "",
                            "configmaps",
                            List.of("create", "get"),
                            null,
                            "RunInputs: prepare inputs and visible checks; get only on a 409, to verify the"
                                    + " existing one is the run's own (RunOwnership)"),
                    new Grant(
                            Scope.WATCHED_NAMESPACES,
                            "",
                            "secrets",
                            List.of("create", "get"),
                            null,
                            "RunInputs: held-out checks; get only on a 409, to verify the existing one is the"
                                    + " run's own (RunOwnership)"),
                    new Grant(
                            Scope.WATCHED_NAMESPACES,
                            "",
                            "events",
                            List.of("create", "get", "patch"),
                            null,
                            "EventRecorder: create, and edit() (get, then patch) to count a repeated event"),
                    new Grant(
                            Scope.WATCHED_NAMESPACES,
                            "apps",
                            "deployments",
                            List.of("list", "watch", "get", "create", "update", "patch", "delete"),
                            null,
                            "serving (not in the code yet): the Deployment of each intent's passing image"),
                    new Grant(
                            Scope.WATCHED_NAMESPACES,
                            "",
                            "services",
                            List.of("list", "watch", "get", "create", "update", "patch", "delete"),
                            null,
                            "serving (not in the code yet): the Service in front of that Deployment"),
                    new Grant(
                            Scope.WATCHED_NAMESPACES,
                            "networking.k8s.io",
                            "networkpolicies",
                            List.of("list", "watch", "get", "create", "update", "patch", "delete"),
                            null,
                            "ServingNetworkPolicy (a dependent like the Deployment), and RunNetworkPolicies: a read"
                                    + " before each station pod, create when missing, edit() (patch) when drifted"),
                    new Grant(
                            Scope.RELEASE_NAMESPACE,
                            "coordination.k8s.io",
                            "leases",
                            List.of("create"),
                            null,
                            "leader election: the first replica creates the Lease (create cannot be limited to a name)"),
                    new Grant(
                            Scope.RELEASE_NAMESPACE,
                            "coordination.k8s.io",
                            "leases",
                            List.of("get", "update", "patch"),
                            LEASE,
                            "leader election: every replica reads the Lease; the leader renews it by patch (fabric8 LeaseLock),"
                                    + " and JOSDK refuses to start electing without update"));

    private OperatorPermissions() {}
}
