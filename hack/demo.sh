#!/usr/bin/env bash
# `make demo`: from a machine with Docker to a served app. A Kind cluster (or the current kube
# context with DEMO_USE_CURRENT_CONTEXT=1), a registry the cluster pulls from, the operator image
# built and pushed, the chart installed, a model, examples/todo-rest-api.yaml applied, and the
# run followed step by step until the app answers. `make demo-clean` (hack/demo.sh clean)
# removes what this made.
#
#   DEMO_USE_CURRENT_CONTEXT=1  use the current kube context instead of a Kind cluster; its nodes
#                               must pull from DEMO_REGISTRY (the lab cluster of ../shared/k8s
#                               does: its kubelet runs on this machine's Docker engine)
#   DEMO_REGISTRY               the registry as the cluster reaches it (Kind: kind-registry:5000;
#                               current context: 10.244.0.1:5000, the lab's pod network gateway)
#   DEMO_PUSH_REGISTRY          the same registry as this machine pushes to (default 127.0.0.1:<port>)
#   OPENAI_API_KEY, DARKFACTORY_MODEL_URL, DARKFACTORY_MODEL
#                               a real OpenAI-compatible model (URL default https://api.openai.com/v1,
#                               model default gpt-4o-mini); without either, the built-in demo model
#                               (hack/demo-model/model.py) answers the bundled example
#   DEMO_BASE_JVM_IMAGE         base of the operator image, as make image's BASE_JVM_IMAGE
#                               (current context: a JVM base made from Debian's packages)
#   KIND_CLUSTER                Kind cluster name (default darkfactory-demo)
set -euo pipefail
shopt -s inherit_errexit

cd "$(dirname "$0")/.."
current_context=${DEMO_USE_CURRENT_CONTEXT:-0}
cluster=${KIND_CLUSTER:-darkfactory-demo}
registry_container=darkfactory-demo-registry
if [ "$current_context" = 1 ]; then
  registry=${DEMO_REGISTRY:-10.244.0.1:5000}
  push_registry=${DEMO_PUSH_REGISTRY:-127.0.0.1:5000}
else
  registry=${DEMO_REGISTRY:-$registry_container:5000}
  push_registry=${DEMO_PUSH_REGISTRY:-127.0.0.1:5001}
fi
release=darkfactory
operator_ns=darkfactory-system
app_ns=darkfactory-demo
intent=todo-api
state=target/demo
start=$(date +%s)

step() { printf '[demo %s +%4ss] %s\n' "$(date -u +%H:%M:%S)" "$(($(date +%s) - start))" "$*"; }
fail() { printf '[demo] %s\n' "$*" >&2; exit 1; }

# Exactly what to install, per missing tool.
require_tools() {
  local missing=() tool
  for tool in "$@"; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  [ ${#missing[@]} -eq 0 ] && return
  for tool in "${missing[@]}"; do
    case $tool in
      docker) echo "  docker:  Debian/Ubuntu: sudo apt-get install docker.io; macOS/Windows: Docker Desktop (https://docs.docker.com/get-docker/)" ;;
      kind) echo "  kind:    go install sigs.k8s.io/kind@v0.27.0, or https://kind.sigs.k8s.io/docs/user/quick-start/#installation" ;;
      kubectl) echo "  kubectl: Debian/Ubuntu: sudo apt-get install kubernetes-client; or https://kubernetes.io/docs/tasks/tools/" ;;
      java|mvn) echo "  $tool:   Debian/Ubuntu: sudo apt-get install openjdk-17-jdk-headless maven" ;;
      curl) echo "  curl:    Debian/Ubuntu: sudo apt-get install curl" ;;
    esac
  done >&2
  fail "make demo needs ${missing[*]} on the PATH; install as above and run make demo again"
}

helm_install() {
  if command -v helm >/dev/null; then
    helm upgrade --install "$release" helm/darkfactory --namespace "$operator_ns" --create-namespace \
      --values "$1" --disable-openapi-validation --wait
  else
    chart_cli install "$release" "$operator_ns" helm/darkfactory "$1"
  fi
}

helm_uninstall() {
  if command -v helm >/dev/null; then
    helm uninstall "$release" --namespace "$operator_ns" 2>/dev/null || true
  else
    chart_cli uninstall "$release" "$operator_ns" || true
  fi
}

# No helm binary (Debian ships none): the same Helm engine through helm-java, from the test classpath.
chart_cli() {
  if [ ! -f target/demo-classpath.txt ] || [ ! -f target/test-classes/dev/darkfactory/operator/demo/ChartCli.class ]; then
    mvn -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile=target/demo-classpath.txt >/dev/null
  fi
  java -cp "target/test-classes:target/classes:$(cat target/demo-classpath.txt)" dev.darkfactory.operator.demo.ChartCli "$@"
}

start_registry() {
  if [ "$current_context" = 1 ]; then
    # The end-to-end registry (Debian's docker-registry on :5000), shared with make e2e.
    if ! curl -fs "http://$push_registry/v2/" >/dev/null; then
      E2E_REGISTRY=$registry hack/e2e-registry.sh
      touch "$state/started-registry"
    fi
  elif [ "$(docker inspect -f '{{.State.Running}}' "$registry_container" 2>/dev/null || true)" != true ]; then
    docker run -d --restart=always -p "${push_registry}:5000" --name "$registry_container" registry:2 >/dev/null
  fi
}

start_kind() {
  if ! kind get clusters | grep -qx "$cluster"; then
    kind create cluster --name "$cluster" --config=- <<YAML
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
containerdConfigPatches:
- |-
  [plugins."io.containerd.grpc.v1.cri".registry.mirrors."${registry}"]
    endpoint = ["http://${registry_container}:5000"]
YAML
  fi
  docker network connect kind "$registry_container" 2>/dev/null || true
}

# The base image of the generated Python apps: Python from Debian's packages where apt-get is
# there (nothing else needs pulling), Docker Hub's python otherwise.
push_python_base() {
  if command -v apt-get >/dev/null; then
    docker image inspect darkfactory/python-base:3.11 >/dev/null 2>&1 || {
      [ -f /var/tmp/darkfactory-python-base.tar ] || hack/python-base-image.sh /var/tmp/darkfactory-python-base.tar >/dev/null
      docker load -q -i /var/tmp/darkfactory-python-base.tar >/dev/null
    }
    docker tag darkfactory/python-base:3.11 "$push_registry/base/python:3.11"
  else
    docker pull -q python:3.11-slim >/dev/null
    docker tag python:3.11-slim "$push_registry/base/python:3.11"
  fi
  docker push -q "$push_registry/base/python:3.11" >/dev/null
}

build_operator() {
  local base=${DEMO_BASE_JVM_IMAGE:-}
  if [ -z "$base" ] && [ "$current_context" = 1 ] && command -v apt-get >/dev/null; then
    [ -f /var/tmp/darkfactory-jvm-base.tar ] || hack/jvm-base-image.sh /var/tmp/darkfactory-jvm-base.tar >/dev/null
    base=tar:///var/tmp/darkfactory-jvm-base.tar
  fi
  make image IMAGE="$push_registry/darkfactory/operator:demo" IMAGE_PUSH=true IMAGE_INSECURE=true \
    BASE_JVM_IMAGE="$base" >"$state/image.log" 2>&1 || { tail -40 "$state/image.log"; fail "make image failed"; }
}

# The model: a real endpoint when one is configured, else the demo model in the app namespace.
# Prints the endpoint, and leaves the API-key Secret the generator reads.
deploy_model() {
  local key=${OPENAI_API_KEY:-}
  if [ -n "$key" ] || [ -n "${DARKFACTORY_MODEL_URL:-}" ]; then
    kubectl -n "$app_ns" create secret generic darkfactory-openai --from-literal=api-key="${key:-none}" \
      --dry-run=client -o yaml | kubectl apply -f - >/dev/null
    echo "${DARKFACTORY_MODEL_URL:-https://api.openai.com/v1}"
    return
  fi
  kubectl -n "$app_ns" create secret generic darkfactory-openai --from-literal=api-key=demo-model-needs-no-key \
    --dry-run=client -o yaml | kubectl apply -f - >/dev/null
  kubectl -n "$app_ns" create configmap demo-model --from-file=hack/demo-model/model.py \
    --from-file=hack/demo-model/todo_api.py --dry-run=client -o yaml | kubectl apply -f - >/dev/null
  kubectl -n "$app_ns" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: demo-model
  labels: {app: demo-model}
spec:
  automountServiceAccountToken: false
  securityContext: {runAsNonRoot: true, runAsUser: 65532, seccompProfile: {type: RuntimeDefault}}
  containers:
    - name: model
      image: $registry/base/python:3.11
      command: ["/usr/bin/python3", "/model/model.py"]
      env: [{name: DEMO_BASE_IMAGE, value: "$registry/base/python:3.11"}]
      ports: [{containerPort: 8080}]
      readinessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 2}
      securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, readOnlyRootFilesystem: true}
      resources: {limits: {cpu: 200m, memory: 64Mi}}
      volumeMounts: [{name: model, mountPath: /model}]
  volumes: [{name: model, configMap: {name: demo-model}}]
---
apiVersion: v1
kind: Service
metadata:
  name: demo-model
spec:
  selector: {app: demo-model}
  ports: [{port: 80, targetPort: 8080}]
YAML
  kubectl -n "$app_ns" wait pod/demo-model --for=condition=Ready --timeout=180s >/dev/null
  # Addressed by IP: not every cluster has DNS (the lab has none).
  echo "http://$(kubectl -n "$app_ns" get service demo-model -o jsonpath='{.spec.clusterIP}')/v1"
}

values_file() {
  local endpoint=$1 model=$2
  cat > "$state/values.yaml" <<YAML
image:
  repository: $registry/darkfactory/operator
  tag: demo
  pullPolicy: Always
registry:
  address: $registry
  insecure: true
  # The demo's registry takes anonymous pushes; a real install names a push Secret (docs/security.md).
  pushSecret: ""
  allowAnonymousPush: true
operator:
  allowedBaseImages: ["$registry/base/*"]
generatorClasses:
  builtin:
    endpoint: $endpoint
    model: $model
YAML
  echo "$state/values.yaml"
}

jsonpath() { kubectl -n "$app_ns" get "$1" -o "jsonpath=$2" 2>/dev/null || true; }

# Follows the intent and its run, printing each step once, until the intent is Ready.
follow() {
  local seen="" run phase attempt_phase image intent_phase reason line
  note() { case " $seen " in *" $1 "*) ;; *) seen="$seen $1"; step "$2" ;; esac; }
  while :; do
    run=$(jsonpath "softwareintent/$intent" '{.status.latestRun}')
    intent_phase=$(jsonpath "softwareintent/$intent" '{.status.phase}')
    if [ -n "$run" ]; then
      note "run-$run" "run created: $run"
      phase=$(jsonpath "factoryrun/$run" '{.status.phase}')
      [ "$phase" = Queued ] && note "queued-$run" "queued: waiting for a free slot"
      line=$(jsonpath "factoryrun/$run" '{range .status.attempts[*]}{.number} {.phase} {.image} {.reason}{"\n"}{end}' | tail -1)
      read -r n attempt_phase image reason <<<"${line:-0 none}"
      case $attempt_phase in
        Generating) note "gen-$run-$n" "generating: attempt $n (generator pod $run-a$n-gen: prepare, generate, build)" ;;
        Testing)
          note "built-$run-$n" "built: $image"
          note "test-$run-$n" "testing: attempt $n (tester pod $run-a$n-test runs the checks, held-out ones included)" ;;
        Passed)
          note "built-$run-$n" "built: $image"
          note "passed-$run-$n" "passed: $(jsonpath "factoryrun/$run" '{.status.attempts[-1:].tests.passed} visible and {.status.attempts[-1:].tests.heldOutPassed} held-out checks')"
          note "rollout-$run" "rolling out: deployment/$intent" ;;
        Failed)
          note "failed-$run-$n" "attempt $n failed: $reason: $(jsonpath "factoryrun/$run" '{.status.attempts[-1:].message}')"
          note "logs-$run-$n" "  its logs: $(jsonpath "factoryrun/$run" '{.status.attempts[-1:].logsCommand}')" ;;
      esac
      case $phase in
        Failed|Cancelled) fail "run $run ended $phase: $(jsonpath "factoryrun/$run" '{.status.message}'); see kubectl -n $app_ns describe frun $run and docs/troubleshooting.md" ;;
      esac
    fi
    case $intent_phase in
      RollingOut) note "rollout-$run" "rolling out: deployment/$intent" ;;
      Ready) note "ready-$run" "ready: $(jsonpath "softwareintent/$intent" '{.status.conditions[?(@.type=="Ready")].message}')"; return ;;
    esac
    sleep 2
  done
}

# An address of the app this machine reaches: the Service's cluster IP where kube-proxy routes it
# here (the lab), else a port-forward to localhost.
app_url() {
  local ip
  ip=$(jsonpath "service/$intent" '{.spec.clusterIP}')
  if curl -fs -m 3 "http://$ip:8080/healthz" >/dev/null 2>&1; then
    echo "http://$ip:8080"
    return
  fi
  nohup kubectl -n "$app_ns" port-forward "service/$intent" 18080:8080 >"$state/port-forward.log" 2>&1 &
  echo $! > "$state/port-forward.pid"
  echo "http://127.0.0.1:18080"
}

up() {
  if [ "$current_context" = 1 ]; then
    require_tools docker kubectl java mvn curl
    kubectl version >/dev/null 2>&1 || fail "DEMO_USE_CURRENT_CONTEXT=1, but no cluster answers through the current kube context"
  else
    require_tools docker kind kubectl java mvn curl
  fi
  docker info >/dev/null 2>&1 || fail "the Docker engine does not answer (docker info); start it and run make demo again"
  mkdir -p "$state"
  command -v helm >/dev/null || step "no helm on the PATH: the chart is installed with helm-java (the Helm engine as a Java library)"

  step "registry: $push_registry from here, $registry from the cluster"
  start_registry
  if [ "$current_context" = 1 ]; then
    step "cluster: the current kube context ($(kubectl config current-context))"
  else
    step "cluster: Kind cluster $cluster"
    start_kind
  fi
  step "images: the Python base of the generated apps -> $registry/base/python:3.11"
  push_python_base
  step "images: the operator (stations included) -> $registry/darkfactory/operator:demo (a few minutes the first time)"
  build_operator

  kubectl create namespace "$app_ns" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
  local endpoint model
  if [ -n "${OPENAI_API_KEY:-}" ] || [ -n "${DARKFACTORY_MODEL_URL:-}" ]; then
    model=${DARKFACTORY_MODEL:-gpt-4o-mini}
    endpoint=$(deploy_model)
    step "model: $model at $endpoint"
  else
    model=demo-model
    step "model: the DEMO MODEL (hack/demo-model/model.py), not a real one: it answers the bundled example with a ready-made todo API; set OPENAI_API_KEY or DARKFACTORY_MODEL_URL for a real model"
    endpoint=$(deploy_model)
    step "demo model serves at $endpoint"
  fi

  step "chart: helm/darkfactory as release $release in $operator_ns"
  helm_install "$(values_file "$endpoint" "$model")" >"$state/helm.log" 2>&1 || { tail -20 "$state/helm.log"; fail "chart install failed"; }
  step "operator ready"

  kubectl -n "$app_ns" apply -f examples/todo-rest-api.yaml >/dev/null
  step "intent applied: kubectl -n $app_ns apply -f examples/todo-rest-api.yaml"
  follow

  local url
  url=$(app_url)
  until curl -fs -m 3 "$url/healthz" >/dev/null; do sleep 1; done
  step "the app answers at $url"
  echo
  echo "  curl -s $url/todos"
  echo "  curl -s -X POST -H 'Content-Type: application/json' -d '{\"title\": \"try the demo\"}' $url/todos"
  echo
  printf '  $ curl -s -X POST ... %s/todos\n  ' "$url"
  curl -s -X POST -H 'Content-Type: application/json' -d '{"title": "try the demo"}' "$url/todos"
  printf '\n  $ curl -s %s/todos\n  ' "$url"
  curl -s "$url/todos"
  printf '\n\n  kubectl -n %s get intents,fruns     kubectl -n %s describe frun     make demo-clean\n' "$app_ns" "$app_ns"
}

clean() {
  require_tools kubectl
  if [ -f "$state/port-forward.pid" ]; then
    kill "$(cat "$state/port-forward.pid")" 2>/dev/null || true
    rm -f "$state/port-forward.pid"
  fi
  if [ "$current_context" != 1 ]; then
    require_tools kind docker
    kind delete cluster --name "$cluster" 2>/dev/null || true
    docker rm -f "$registry_container" >/dev/null 2>&1 || true
    rm -rf "$state"
    step "removed Kind cluster $cluster and registry $registry_container"
    return
  fi
  kubectl delete namespace "$app_ns" --ignore-not-found --wait=true >/dev/null
  step "removed namespace $app_ns (intent, runs, app, demo model)"
  helm_uninstall >/dev/null 2>&1
  kubectl delete namespace "$operator_ns" --ignore-not-found --wait=true >/dev/null
  step "removed release $release and namespace $operator_ns"
  kubectl delete crd softwareintents.darkfactory.dev factoryruns.darkfactory.dev generatorclasses.darkfactory.dev \
    --ignore-not-found >/dev/null
  step "removed the darkfactory.dev CRDs"
  if [ -f "$state/started-registry" ]; then
    E2E_REGISTRY=$registry hack/e2e-registry.sh stop
    step "stopped the registry the demo started"
  fi
  rm -rf "$state"
}

case ${1:-up} in
  up) up ;;
  clean) clean ;;
  *) fail "usage: hack/demo.sh [up|clean]" ;;
esac
