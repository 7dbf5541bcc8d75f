{{- /*
Rules of the operator's RBAC: exactly what its reconcilers call, nothing more, and no wildcards. Every
verb below is traced to the call that needs it in src/test/java/.../chart/OperatorPermissions.java,
which the chart tests compare with what the chart renders.
GeneratorClasses are cluster-scoped, so reading them always takes a ClusterRole. The rest is
granted cluster-wide when the operator watches every namespace, or by a Role in each watched
namespace otherwise.
*/ -}}
{{- define "darkfactory.clusterRules" -}}
# GeneratorClasses: informer of the intent reconciler (cluster-scoped).
- apiGroups: ["darkfactory.dev"]
  resources: ["generatorclasses"]
  verbs: ["list", "watch"]
{{- end }}

{{- define "darkfactory.namespacedRules" -}}
# SoftwareIntents: informer of the intent reconciler; it writes their status only, by server-side apply.
- apiGroups: ["darkfactory.dev"]
  resources: ["softwareintents"]
  verbs: ["list", "watch"]
- apiGroups: ["darkfactory.dev"]
  resources: ["softwareintents/status"]
  verbs: ["patch"]
# Owner references with blockOwnerDeletion (runs, Deployments and Services owned by an intent; pods,
# ConfigMaps and Secrets owned by a run) need update on the owner's finalizers where the API server
# runs the OwnerReferencesPermissionEnforcement admission plugin (OpenShift does).
- apiGroups: ["darkfactory.dev"]
  resources: ["softwareintents/finalizers", "factoryruns/finalizers"]
  verbs: ["update"]
# FactoryRuns: informers of both reconcilers; created per intent generation, cancelled by an
# annotation (read, then patched), deleted beyond the history limit; status by server-side apply.
- apiGroups: ["darkfactory.dev"]
  resources: ["factoryruns"]
  verbs: ["list", "watch", "get", "create", "patch", "delete"]
- apiGroups: ["darkfactory.dev"]
  resources: ["factoryruns/status"]
  verbs: ["patch"]
# ModelBudgets: informers of the budget and run reconcilers; the budget reconciler writes their
# status only, by server-side apply.
- apiGroups: ["darkfactory.dev"]
  resources: ["modelbudgets"]
  verbs: ["list", "watch"]
- apiGroups: ["darkfactory.dev"]
  resources: ["modelbudgets/status"]
  verbs: ["patch"]
# Generator and tester pods: informer, a read by name when the cache lags a create, create; patch
# lowers a finished pod's deadline so the kubelet stops it and its logs stay; delete.
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list", "watch", "get", "create", "patch", "delete"]
# Station inputs (ConfigMaps) and held-out checks (Secrets): created; read by name only when one
# already exists, to verify it is the run's own (controller UID, content) before it is used.
- apiGroups: [""]
  resources: ["configmaps", "secrets"]
  verbs: ["create", "get"]
# Events on intents and runs; a repeated event is read and patched to count up.
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "get", "patch"]
# Serving: the Deployment and Service that run each intent's passing image.
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["list", "watch", "get", "create", "update", "patch", "delete"]
- apiGroups: [""]
  resources: ["services"]
  verbs: ["list", "watch", "get", "create", "update", "patch", "delete"]
# NetworkPolicies: the served app's (a dependent of the intent, like the Deployment), and the
# namespace's generator and tester policies, read before each pod and written when missing or drifted.
- apiGroups: ["networking.k8s.io"]
  resources: ["networkpolicies"]
  verbs: ["list", "watch", "get", "create", "update", "patch", "delete"]
{{- end }}
