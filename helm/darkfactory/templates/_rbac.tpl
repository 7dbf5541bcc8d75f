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
# Generator and tester pods: informer, a read by name when the cache lags a create, create, delete.
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list", "watch", "get", "create", "delete"]
# Station inputs (ConfigMaps) and held-out checks (Secrets): created, never read back.
- apiGroups: [""]
  resources: ["configmaps", "secrets"]
  verbs: ["create"]
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
{{- end }}
