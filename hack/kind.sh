#!/usr/bin/env bash
# `make kind`: a Kind cluster with a local registry, the operator image built and loaded, and the
# chart installed, for machines with Docker and the internet. Then `make e2e` runs the end-to-end
# suite against it (the current kube context).
#
#   KIND_CLUSTER   cluster name (default darkfactory)
#   REGISTRY_PORT  host port of the local registry (default 5001)
set -euo pipefail

cd "$(dirname "$0")/.."
cluster=${KIND_CLUSTER:-darkfactory}
port=${REGISTRY_PORT:-5001}
registry_name=kind-registry
image=darkfactory/operator:dev

for tool in kind kubectl helm docker; do
  command -v "$tool" >/dev/null || { echo "make kind needs $tool on the PATH" >&2; exit 1; }
done

# NetworkPolicies (docs/security.md) are enforced by kindnet from kind v0.24.0 on: its
# kube-network-policies controller is on by default, so the cluster below needs no other CNI.
# An older kind would make a cluster that silently ignores them.
kind_version=$(kind version | sed -n 's/^kind v\([0-9][0-9]*\)\.\([0-9][0-9]*\)\..*/\1 \2/p')
read -r kind_major kind_minor <<<"${kind_version:-0 0}"
if [ "$kind_major" -eq 0 ] && [ "$kind_minor" -lt 24 ]; then
  echo "make kind needs kind v0.24.0 or newer, whose kindnet enforces NetworkPolicies (found: $(kind version))" >&2
  exit 1
fi

# A registry container on the kind network: the build station pushes to it from pods as
# kind-registry:5000, and the nodes' containerd pulls from it under the same name.
if [ "$(docker inspect -f '{{.State.Running}}' "$registry_name" 2>/dev/null || true)" != true ]; then
  docker run -d --restart=always -p "127.0.0.1:${port}:5000" --name "$registry_name" registry:2 >/dev/null
fi

if ! kind get clusters | grep -qx "$cluster"; then
  cat <<YAML | kind create cluster --name "$cluster" --config=-
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking:
  # kindnet with its NetworkPolicy controller (the default; said here so nobody turns it off).
  disableDefaultCNI: false
containerdConfigPatches:
- |-
  [plugins."io.containerd.grpc.v1.cri".registry.mirrors."${registry_name}:5000"]
    endpoint = ["http://${registry_name}:5000"]
YAML
fi
docker network connect kind "$registry_name" 2>/dev/null || true

# Generator pods reach the registry container by its address on the kind network (an ipBlock:
# it is no pod, so no selector can name it). make e2e reads the same variable.
registry_ip=$(docker inspect -f '{{.NetworkSettings.Networks.kind.IPAddress}}' "$registry_name")
export E2E_REGISTRY_CIDR="${registry_ip}/32"

make image IMAGE="$image" IMAGE_PUSH=false
kind load docker-image "$image" --name "$cluster"

helm upgrade --install darkfactory helm/darkfactory \
  --namespace darkfactory-system --create-namespace \
  --set image.repository=darkfactory/operator --set image.tag=dev --set image.pullPolicy=IfNotPresent \
  --set registry.address="${registry_name}:5000" --set registry.insecure=true \
  --set registry.pushSecret= --set registry.allowAnonymousPush=true \
  --set-json "networkPolicy.registryEgress=[{\"to\":[{\"ipBlock\":{\"cidr\":\"${E2E_REGISTRY_CIDR}\"}}],\"ports\":[{\"port\":5000,\"protocol\":\"TCP\"}]}]" \
  --wait
echo "Dark Factory runs in kind-${cluster}; create the API-key Secret and apply an intent (see NOTES above)."
echo "kindnet enforces NetworkPolicies here; for make e2e: export E2E_REGISTRY=${registry_name}:5000 E2E_REGISTRY_CIDR=${E2E_REGISTRY_CIDR}"
