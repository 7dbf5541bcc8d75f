#!/usr/bin/env bash
# Makes a JVM base image for `make image` on machines that cannot pull one: Debian 12 (minbase)
# with OpenJDK 17 from Debian's package mirror, by debootstrap, written as a `docker save` tar
# that Quarkus' Jib takes as quarkus.jib.base-jvm-image=tar://<file>. Needs root.
#   usage: hack/jvm-base-image.sh [output.tar]   (default target/jvm-base.tar)
set -euo pipefail

out=$(realpath -m "${1:-target/jvm-base.tar}")
work=${JVM_BASE_WORK:-/var/tmp/darkfactory-jvm-base}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
rootfs=$work/rootfs

if [ ! -x "$rootfs/usr/lib/jvm/java-17-openjdk-amd64/bin/java" ]; then
  command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap
  rm -rf "$rootfs"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$rootfs" "$mirror"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
fi

image=$(mktemp -d)
trap 'rm -rf "$image"' EXIT
tar --numeric-owner --one-file-system -C "$rootfs" -cf "$image/layer.tar" .
diff_id=sha256:$(sha256sum "$image/layer.tar" | cut -d' ' -f1)
cat > "$image/config.json" <<JSON
{"architecture": "amd64", "os": "linux",
 "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    "JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64"],
            "User": "185"},
 "rootfs": {"type": "layers", "diff_ids": ["$diff_id"]}}
JSON
echo '[{"Config": "config.json", "RepoTags": ["darkfactory/jvm-base:17"], "Layers": ["layer.tar"]}]' > "$image/manifest.json"
mkdir -p "$(dirname "$out")"
tar -C "$image" -cf "$out" manifest.json config.json layer.tar
echo "wrote $out ($(du -h "$out" | cut -f1)); use BASE_JVM_IMAGE=tar://$out"
