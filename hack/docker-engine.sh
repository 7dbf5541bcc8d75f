#!/usr/bin/env bash
# Makes sure the local Docker engine runs and trusts the end-to-end registry over plain HTTP
# (it lives on this machine, on the lab's pod network gateway). Starts dockerd when none answers;
# a running one reloads its settings (insecure-registries is reloadable with SIGHUP).
#   usage: hack/docker-engine.sh        E2E_REGISTRY overrides the registry (default 10.244.0.1:5000)
set -euo pipefail

registry=${E2E_REGISTRY:-10.244.0.1:5000}
wanted="{\"insecure-registries\": [\"$registry\"]}"

command -v dockerd >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker.io >/dev/null
mkdir -p /etc/docker
if [ "$(cat /etc/docker/daemon.json 2>/dev/null)" != "$wanted" ]; then
  echo "$wanted" > /etc/docker/daemon.json
  if pid=$(pidof dockerd); then kill -HUP "$pid"; fi
fi
if ! docker info >/dev/null 2>&1; then
  nohup dockerd >/var/log/darkfactory-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
fi
docker info >/dev/null 2>&1 || { echo "dockerd did not start; see /var/log/darkfactory-dockerd.log" >&2; exit 1; }
echo "docker engine ready (insecure registry $registry)"
