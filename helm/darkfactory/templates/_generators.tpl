{{- /*
How each generator of values.generatorClasses runs: description, command, arguments and
environment of its generate container, one template per key, each given that key's values.
Every generator reads the task from /workspace/.darkfactory/prompt.md and writes the source and
its app manifest into /workspace/src, its working directory (docs/station-contract.md).
*/ -}}

{{- define "darkfactory.generator.builtin" -}}
description: {{ printf "Built-in generator: OpenAI-compatible chat completions (%s, model %s)." .endpoint .model | quote }}
command: ["/deployments/station", "generate-openai"]
env:
  {{- if not .viaGateway }}
  - name: OPENAI_BASE_URL
    value: {{ required "generatorClasses.builtin.endpoint: the built-in generator needs the base URL of an OpenAI-compatible API" .endpoint | quote }}
  {{- end }}
  - name: OPENAI_MODEL
    value: {{ .model | quote }}
  {{- if not .viaGateway }}
  - name: OPENAI_API_KEY
    secretKeyRef:
      name: {{ .apiKeySecret.name }}
      key: {{ .apiKeySecret.key }}
  {{- end }}
{{- end }}

{{- define "darkfactory.generator.claudeCode" -}}
description: {{ printf "Claude Code in print mode (model %s)." .model | quote }}
command: ["sh", "-c"]
args:
  - exec claude --print --model "$AGENT_MODEL" --dangerously-skip-permissions < /workspace/.darkfactory/prompt.md
{{ include "darkfactory.generator.agentEnv" (list . "AGENT_MODEL" "ANTHROPIC_API_KEY" "ANTHROPIC_BASE_URL") }}
{{- end }}

{{- define "darkfactory.generator.codex" -}}
description: {{ printf "OpenAI Codex CLI, codex exec (model %s)." .model | quote }}
command: ["sh", "-c"]
# The pod is the sandbox (restricted, no service-account token), so Codex needs none of its own.
args:
  - exec codex exec --skip-git-repo-check --sandbox danger-full-access --model "$AGENT_MODEL" < /workspace/.darkfactory/prompt.md
{{ include "darkfactory.generator.agentEnv" (list . "AGENT_MODEL" "OPENAI_API_KEY" "OPENAI_BASE_URL") }}
{{- end }}

{{- define "darkfactory.generator.aider" -}}
description: {{ printf "Aider, one message from the prompt file (model %s)." .model | quote }}
command: ["aider"]
args: ["--message-file", "/workspace/.darkfactory/prompt.md", "--yes-always", "--no-git", "--no-check-update",
       "--no-show-model-warnings", "--model", "$(AGENT_MODEL)"]
{{ include "darkfactory.generator.agentEnv" (list . "AGENT_MODEL" "OPENAI_API_KEY" "OPENAI_API_BASE") }}
{{- end }}

{{- define "darkfactory.generator.openHands" -}}
description: {{ printf "OpenHands CLI in headless mode (model %s)." .model | quote }}
command: ["openhands"]
args: ["--headless", "--override-with-envs", "-f", "/workspace/.darkfactory/prompt.md"]
{{ include "darkfactory.generator.agentEnv" (list . "LLM_MODEL" "LLM_API_KEY" "LLM_BASE_URL") }}
{{- end }}

{{- /*
Environment of a coding agent, given (list class modelVariable apiKeyVariable endpointVariable):
a writable home under /workspace (the pod runs as a user that owns nothing else), the model, the
API key by reference to a Secret key in the intent's namespace, and the endpoint when one is set;
through the gateway, the agent's key and endpoint variables name the gateway's token and URL.
*/ -}}
{{- define "darkfactory.generator.agentEnv" -}}
{{- $class := index . 0 -}}
env:
  - name: HOME
    value: /workspace/.home
  - name: {{ index . 1 }}
    value: {{ $class.model | quote }}
  {{- if $class.viaGateway }}
  {{- /* The operator sets the gateway's variables first; the agent's own names point at them. */}}
  - name: {{ index . 2 }}
    value: "$(DF_GATEWAY_TOKEN)"
  - name: {{ index . 3 }}
    value: {{ if hasPrefix "ANTHROPIC" (index . 3) }}"$(ANTHROPIC_BASE_URL)"{{ else }}"$(OPENAI_BASE_URL)"{{ end }}
  {{- else }}
  - name: {{ index . 2 }}
    secretKeyRef:
      name: {{ $class.apiKeySecret.name }}
      key: {{ $class.apiKeySecret.key }}
  {{- with $class.endpoint }}
  - name: {{ index $ 3 }}
    value: {{ . | quote }}
  {{- end }}
  {{- end }}
{{- end }}
