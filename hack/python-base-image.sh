#!/usr/bin/env bash
# Makes a Python base image for generated apps on machines that cannot pull one: python3-minimal,
# the rest of Python's standard library (http.server and json live there) and their dependencies,
# unpacked from Debian's packages into one layer and written as a `docker save` tar, the way
# hack/jvm-base-image.sh makes the JVM base. No shell, no package manager, no maintainer scripts:
# just the interpreter and the libraries it loads. Needs apt-get (package lists up to date).
#   usage: hack/python-base-image.sh [output.tar]   (default target/python-base.tar)
#   the image inside is tagged darkfactory/python-base:3.11; `docker load -i` it, then push it.
set -euo pipefail

out=$(realpath -m "${1:-target/python-base.tar}")
work=${PYTHON_BASE_WORK:-/var/tmp/darkfactory-python-base}
roots=(python3-minimal libpython3.11-stdlib media-types)
# Needed only by the packages' maintainer scripts (dpkg, its tar and perl), never at run time.
skip=" dpkg install-info mime-support mailcap perl perl-base "

# The Depends and Pre-Depends closure of the roots, first alternative of each choice.
resolve() {
  local -a queue=("${roots[@]}")
  local -A seen=()
  while [ ${#queue[@]} -gt 0 ]; do
    local pkg=${queue[0]}
    queue=("${queue[@]:1}")
    [ -n "${seen[$pkg]:-}" ] && continue
    case "$skip" in *" $pkg "*) continue ;; esac
    seen[$pkg]=1
    echo "$pkg"
    while read -r dep; do queue+=("$dep"); done < <(apt-cache depends --no-recommends --no-suggests \
      --no-conflicts --no-breaks --no-replaces --no-enhances "$pkg" | awk '
        /^ *\|?(Pre)?Depends:/ { if (!alt) { name = $2; if (name !~ /^</) print name } alt = ($1 ~ /^\|/) }')
  done
}

if [ ! -x "$work/rootfs/usr/bin/python3" ]; then
  rm -rf "$work" && mkdir -p "$work/debs" "$work/rootfs"
  mapfile -t packages < <(resolve)
  # apt-get warns that it downloads as root without its _apt sandbox: expected here.
  (cd "$work/debs" && apt-get download -q "${packages[@]}" 2>/dev/null)
  for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/rootfs"; done
  mkdir -p "$work/rootfs/tmp" "$work/rootfs/app"
  chmod 1777 "$work/rootfs/tmp"
  printf 'root:x:0:0::/root:/nonexistent\nnonroot:x:65532:65532::/tmp:/nonexistent\n' > "$work/rootfs/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' > "$work/rootfs/etc/group"
  "$work/rootfs/usr/bin/python3" -c 'import http.server, json' 2>/dev/null \
    || chroot "$work/rootfs" /usr/bin/python3 -c 'import http.server, json'
  echo "python base: ${#packages[@]} packages: ${packages[*]}"
fi

image=$(mktemp -d)
trap 'rm -rf "$image"' EXIT
tar --numeric-owner --one-file-system -C "$work/rootfs" -cf "$image/layer.tar" .
diff_id=sha256:$(sha256sum "$image/layer.tar" | cut -d' ' -f1)
cat > "$image/config.json" <<JSON
{"architecture": "amd64", "os": "linux",
 "config": {"Env": ["PATH=/usr/local/bin:/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE=1", "PYTHONUNBUFFERED=1"],
            "Entrypoint": ["/usr/bin/python3"], "User": "65532", "WorkingDir": "/app"},
 "rootfs": {"type": "layers", "diff_ids": ["$diff_id"]}}
JSON
echo '[{"Config": "config.json", "RepoTags": ["darkfactory/python-base:3.11"], "Layers": ["layer.tar"]}]' \
  > "$image/manifest.json"
mkdir -p "$(dirname "$out")"
tar -C "$image" -cf "$out" manifest.json config.json layer.tar
echo "wrote $out ($(du -h "$out" | cut -f1)); docker load -i it (darkfactory/python-base:3.11)"
