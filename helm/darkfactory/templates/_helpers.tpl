{{/* Names and labels shared by every object of the chart. */}}

{{- define "darkfactory.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release name, suffixed with the chart name unless it already contains it; cluster-scoped names start with it. */}}
{{- define "darkfactory.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "darkfactory.selectorLabels" -}}
app.kubernetes.io/name: {{ include "darkfactory.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "darkfactory.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "darkfactory.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "darkfactory.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "darkfactory.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name: name an existing ServiceAccount when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The operator image; it also runs the stations and the built-in generator. */}}
{{- define "darkfactory.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "darkfactory.leaseName" -}}
{{- default (printf "%s-leader" (include "darkfactory.fullname" .)) .Values.leaderElection.leaseName }}
{{- end }}

{{/* The subject every binding grants to: the operator's ServiceAccount in the release namespace. */}}
{{- define "darkfactory.subjects" -}}
subjects:
  - kind: ServiceAccount
    name: {{ include "darkfactory.serviceAccountName" . }}
    namespace: {{ .Release.Namespace }}
{{- end }}

{{/* The model gateway (templates/gateway.yaml): name, selector, and the URL generator pods use. */}}
{{- define "darkfactory.gatewayName" -}}
{{- printf "%s-gateway" (include "darkfactory.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "darkfactory.gatewaySelectorLabels" -}}
app.kubernetes.io/name: {{ include "darkfactory.name" . }}-gateway
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "darkfactory.gatewayUrl" -}}
{{- if .Values.gateway.clusterIP }}
{{- printf "http://%s:%v" .Values.gateway.clusterIP .Values.gateway.port }}
{{- else }}
{{- printf "http://%s.%s.svc:%v" (include "darkfactory.gatewayName" .) .Release.Namespace .Values.gateway.port }}
{{- end }}
{{- end }}

{{- define "darkfactory.gatewaySigningKeySecret" -}}
{{- default (printf "%s-signing-key" (include "darkfactory.gatewayName" .)) .Values.gateway.signingKeySecret }}
{{- end }}

{{/* The provider key Secrets of the enabled GeneratorClasses, as a YAML list: all the gateway may read. */}}
{{- define "darkfactory.providerKeySecrets" -}}
{{- $names := list }}
{{- range $key, $class := .Values.generatorClasses }}
{{- if $class.enabled }}
{{- $names = append $names $class.apiKeySecret.name }}
{{- end }}
{{- end }}
{{- toYaml ($names | uniq | sortAlpha) }}
{{- end }}

{{- /* Egress rules of every generator pod besides DNS, as JSON: the registry, the gateway when enabled, and networkPolicy.generatorEgress. */ -}}
{{- define "darkfactory.generatorEgress" -}}
{{- $rules := concat .Values.networkPolicy.registryEgress .Values.networkPolicy.generatorEgress -}}
{{- if .Values.gateway.enabled -}}
{{- $gateway := dict "to" (list (dict "namespaceSelector" (dict "matchLabels" (dict "kubernetes.io/metadata.name" .Release.Namespace)) "podSelector" (dict "matchLabels" (include "darkfactory.gatewaySelectorLabels" . | fromYaml)))) "ports" (list (dict "port" 8080 "protocol" "TCP")) -}}
{{- $rules = append $rules $gateway -}}
{{- end -}}
{{- toJson $rules -}}
{{- end }}
