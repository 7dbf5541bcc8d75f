#!/usr/bin/env bash
# Prepares this machine for `make e2e` on a cluster whose kubelet uses the local Docker engine
# (the lab cluster of ../shared/k8s): nothing can be pulled, so every image is built here.
#   - an image registry (Debian's docker-registry, hack/e2e-registry.sh) on port 5000 of all
#     interfaces: the build station pushes to it from a pod, and the kubelet pulls from it, at E2E_REGISTRY;
#   - darkfactory-e2e/busybox:1, the suite's tools image (fake model) and, pushed to the registry
#     as base/busybox:1, the base image of the apps the canned model "generates";
#   - base/python:3.11 in the registry, Python from Debian's packages (hack/python-base-image.sh),
#     the base image of the todo REST API that the REST scenario and the demo model build;
#   - the operator image darkfactory/operator:e2e, on a JVM base made from Debian's packages.
set -euo pipefail

cd "$(dirname "$0")/.."
registry=${E2E_REGISTRY:-10.244.0.1:5000}
jvm_base=${JVM_BASE_TAR:-/var/tmp/darkfactory-jvm-base.tar}
python_base=${PYTHON_BASE_TAR:-/var/tmp/darkfactory-python-base.tar}
log() { printf '[e2e-prepare] %s\n' "$*"; }

hack/docker-engine.sh

[ -x /bin/busybox ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -q busybox-static >/dev/null
E2E_REGISTRY=$registry hack/e2e-registry.sh

if ! docker image inspect darkfactory-e2e/busybox:1 >/dev/null 2>&1; then
  ctx=$(mktemp -d)
  mkdir -p "$ctx/bin" "$ctx/tmp" "$ctx/etc"
  cp /bin/busybox "$ctx/bin/busybox"
  for applet in sh cat head echo hostname httpd sleep env ls mkdir grep wc true false; do ln -s busybox "$ctx/bin/$applet"; done
  echo 'nonroot:x:65532:65532::/tmp:/bin/sh' > "$ctx/etc/passwd"
  printf 'FROM scratch\nCOPY . /\nENV PATH=/bin\nCMD ["/bin/sh"]\n' > "$ctx/Dockerfile"
  docker build -q -t darkfactory-e2e/busybox:1 "$ctx" >/dev/null
  rm -rf "$ctx"
  log "image darkfactory-e2e/busybox:1 built"
fi
# The tools image with curl, for the scenario whose script-based "coding agent" calls the gateway
# with curl: the host's curl and the libraries it links, on top of the busybox image.
if ! docker image inspect darkfactory-e2e/curl:1 >/dev/null 2>&1; then
  command -v curl >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q curl >/dev/null
  ctx=$(mktemp -d)
  mkdir -p "$ctx/usr/bin"
  cp /usr/bin/curl "$ctx/usr/bin/curl"
  for lib in $(ldd /usr/bin/curl | grep -o '/[^ ]*'); do
    mkdir -p "$ctx$(dirname "$lib")"
    cp -L "$lib" "$ctx$lib"
  done
  printf 'FROM darkfactory-e2e/busybox:1\nCOPY . /\nENV PATH=/bin:/usr/bin\n' > "$ctx/Dockerfile"
  docker build -q -t darkfactory-e2e/curl:1 "$ctx" >/dev/null
  rm -rf "$ctx"
  log "image darkfactory-e2e/curl:1 built"
fi
docker tag darkfactory-e2e/busybox:1 127.0.0.1:5000/base/busybox:1
docker push -q 127.0.0.1:5000/base/busybox:1 >/dev/null
log "app base image pushed as $registry/base/busybox:1"

if ! docker image inspect darkfactory/python-base:3.11 >/dev/null 2>&1; then
  [ -f "$python_base" ] || hack/python-base-image.sh "$python_base"
  docker load -q -i "$python_base" >/dev/null
fi
docker tag darkfactory/python-base:3.11 127.0.0.1:5000/base/python:3.11
docker push -q 127.0.0.1:5000/base/python:3.11 >/dev/null
log "python base image pushed as $registry/base/python:3.11"

[ -f "$jvm_base" ] || hack/jvm-base-image.sh "$jvm_base"
make image IMAGE=darkfactory/operator:e2e IMAGE_PUSH=false BASE_JVM_IMAGE="tar://$jvm_base" >/tmp/darkfactory-e2e-image.log 2>&1 \
  || { tail -40 /tmp/darkfactory-e2e-image.log; exit 1; }
log "operator image darkfactory/operator:e2e built"
