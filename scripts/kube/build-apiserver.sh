#!/usr/bin/env bash
# Builds a real kube-apiserver (Kubernetes 1.20.2) from Debian bookworm's `kubernetes` source package,
# once, into a cache outside the clone, so later runs on the same machine start in seconds.
# usage: scripts/kube/build-apiserver.sh [CACHE_DIR]   (default: $HOME/.cache/model-cicd/kube)
# prints the path of the binary on its last line.
set -euo pipefail
cache_dir=${1:-${MODEL_CICD_KUBE_CACHE:-$HOME/.cache/model-cicd/kube}}
mkdir -p "$cache_dir"
cache_dir=$(cd "$cache_dir" && pwd)
binary="$cache_dir/kube-apiserver"
if [ -x "$binary" ] && "$binary" --version >/dev/null 2>&1; then
  echo "$binary"
  exit 0
fi

ensure_source_index() {
  # a deb-src twin of the machine's own Debian entry, pinned to bookworm/main: trixie's source is stripped of vendor/
  if ! grep -rqs '^Types:.*deb-src\|^deb-src' /etc/apt/sources.list.d/ /etc/apt/sources.list; then
    local uri
    uri=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
    [ -n "$uri" ] || uri=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list)
    printf 'Types: deb-src\nURIs: %s\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" \
      > /etc/apt/sources.list.d/model-cicd-bookworm-src.sources
  fi
  apt-get update -qq
}

ensure_source_index
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  golang-go rsync make dpkg-dev golang-github-modern-go-reflect2-dev etcd-server openssl >/dev/null

work="$cache_dir/src"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
apt-get source --download-only kubernetes/bookworm >/dev/null 2>&1
tar xzf kubernetes_*.orig.tar.gz
cd kubernetes-1.20.2
# the vendored reflect2 1.0.1 crashes (SIGSEGV in mapiterinit) when built with Go >= 1.18; Debian ships 1.0.2
rm -f vendor/github.com/modern-go/reflect2/*.go vendor/github.com/modern-go/reflect2/*.s
cp /usr/share/gocode/src/github.com/modern-go/reflect2/*.go /usr/share/gocode/src/github.com/modern-go/reflect2/*.s \
  vendor/github.com/modern-go/reflect2/
export CGO_ENABLED=0 HOME="$cache_dir/home"
mkdir -p "$HOME"
make WHAT=cmd/kube-apiserver >"$cache_dir/build.log" 2>&1 || { tail -40 "$cache_dir/build.log"; exit 1; }
cp _output/bin/kube-apiserver "$binary.tmp" && mv "$binary.tmp" "$binary"
cd "$cache_dir" && rm -rf "$work"
"$binary" --version >&2
echo "$binary"
