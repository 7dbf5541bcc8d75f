#!/usr/bin/env bash
# The image registry of `make e2e` and `make demo` on machines that cannot pull one: Debian's
# docker-registry on port 5000 of all interfaces, so that pods push to it and the kubelet pulls
# from it at E2E_REGISTRY (default 10.244.0.1:5000, the lab's pod network gateway).
#   usage: hack/e2e-registry.sh [start|stop]     (start does nothing when one answers already)
set -euo pipefail

registry=${E2E_REGISTRY:-10.244.0.1:5000}
storage=/var/tmp/darkfactory-e2e-registry
log() { printf '[e2e-registry] %s\n' "$*"; }

case ${1:-start} in
  start)
    curl -fs http://127.0.0.1:5000/v2/ >/dev/null && exit 0
    [ -x /usr/bin/docker-registry ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker-registry >/dev/null
    mkdir -p "$storage"
    cat > "$storage/config.yml" <<YAML
version: 0.1
storage:
  filesystem:
    rootdirectory: $storage/data
  delete:
    enabled: true
http:
  addr: 0.0.0.0:5000
YAML
    nohup docker-registry serve "$storage/config.yml" >"$storage/registry.log" 2>&1 &
    echo $! > "$storage/registry.pid"
    for _ in $(seq 1 30); do curl -fs http://127.0.0.1:5000/v2/ >/dev/null && break; sleep 1; done
    log "registry on :5000 (pods and the kubelet use $registry)"
    ;;
  stop)
    if [ -f "$storage/registry.pid" ]; then
      kill "$(cat "$storage/registry.pid")" 2>/dev/null || true
      rm -f "$storage/registry.pid"
      log "registry stopped"
    fi
    ;;
  *) echo "usage: hack/e2e-registry.sh [start|stop]" >&2; exit 2 ;;
esac
