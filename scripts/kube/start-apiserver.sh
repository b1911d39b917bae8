#!/usr/bin/env bash
# Starts a real Kubernetes API server (etcd + kube-apiserver 1.20.2, no controllers) on loopback, on free ports,
# with RBAC authorization and two static tokens:
#   WORKDIR/kubeconfig             admin (group system:masters)
#   WORKDIR/kubeconfig-restricted  system:serviceaccount:<ns>:model-cicd-rollout, which holds only what
#                                  examples/kubernetes/rbac.yaml grants once it is applied to <ns>
# usage: scripts/kube/start-apiserver.sh WORKDIR   (restricted namespace: $MODEL_CICD_KUBE_RESTRICTED_NAMESPACE,
#        default "rollout-rbac"). Finds the binary in $MODEL_CICD_KUBE_APISERVER or the build cache.
# Writes WORKDIR/{kubeconfig,kubeconfig-restricted,etcd.pid,apiserver.pid,etcd.log,apiserver.log,server-url}.
# With MODEL_CICD_KUBE_OWNER_PID set, a watchdog stops everything (and removes WORKDIR) once that process exits.
# Stop with scripts/kube/stop-apiserver.sh WORKDIR.
set -euo pipefail
script_dir=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 1 ] || { echo "usage: $0 WORKDIR" >&2; exit 2; }
binary=${MODEL_CICD_KUBE_APISERVER:-${MODEL_CICD_KUBE_CACHE:-$HOME/.cache/model-cicd/kube}/kube-apiserver}
[ -x "$binary" ] || { echo "kube-apiserver not found at $binary: run scripts/kube/build-apiserver.sh first" >&2; exit 1; }
etcd_binary=${MODEL_CICD_ETCD:-etcd}
command -v "$etcd_binary" >/dev/null || { echo "etcd not found: apt-get install etcd-server (or set MODEL_CICD_ETCD)" >&2; exit 1; }
restricted_namespace=${MODEL_CICD_KUBE_RESTRICTED_NAMESPACE:-rollout-rbac}

mkdir -p "$1"
workdir=$(cd "$1" && pwd)
cd "$workdir"
"$script_dir/stop-apiserver.sh" "$workdir" >/dev/null 2>&1 || true

# three free loopback ports, chosen by the kernel (port 0) and released just before the servers bind them
read -r etcd_client_port etcd_peer_port apiserver_port < <(node -e '
  const net = require("node:net");
  const take = () => new Promise((resolve) => { const s = net.createServer(); s.listen(0, "127.0.0.1", () => resolve(s)); });
  Promise.all([take(), take(), take()]).then((servers) => {
    console.log(servers.map((s) => s.address().port).join(" "));
    servers.forEach((s) => s.close());
  });')

[ -f sa.key ] || {
  openssl genrsa -out sa.key 2048 2>/dev/null
  openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
}
admin_token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
restricted_token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
restricted_user="system:serviceaccount:$restricted_namespace:model-cicd-rollout"
cat > tokens.csv <<CSV
$admin_token,admin,admin-uid,"system:masters"
$restricted_token,$restricted_user,rollout-uid,"system:serviceaccounts,system:serviceaccounts:$restricted_namespace"
CSV
chmod 600 tokens.csv

rm -rf etcd-data
"$etcd_binary" --name model-cicd --data-dir etcd-data \
  --listen-client-urls "http://127.0.0.1:$etcd_client_port" --advertise-client-urls "http://127.0.0.1:$etcd_client_port" \
  --listen-peer-urls "http://127.0.0.1:$etcd_peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer_port" \
  --initial-cluster "model-cicd=http://127.0.0.1:$etcd_peer_port" --unsafe-no-fsync >etcd.log 2>&1 &
echo $! > etcd.pid
for _ in $(seq 1 200); do
  curl -sf "http://127.0.0.1:$etcd_client_port/health" >/dev/null 2>&1 && break
  kill -0 "$(cat etcd.pid)" 2>/dev/null || { tail -20 etcd.log >&2; exit 1; }
  sleep 0.05
done

"$binary" --etcd-servers="http://127.0.0.1:$etcd_client_port" --bind-address=127.0.0.1 --secure-port="$apiserver_port" \
  --cert-dir=certs --token-auth-file=tokens.csv --authorization-mode=RBAC \
  --service-account-issuer=https://kubernetes.default.svc --service-account-key-file=sa.pub \
  --service-account-signing-key-file=sa.key --service-cluster-ip-range=10.96.0.0/16 \
  --advertise-address=127.0.0.1 --disable-admission-plugins=ServiceAccount >apiserver.log 2>&1 &
echo $! > apiserver.pid
server="https://127.0.0.1:$apiserver_port"
ready=false
for _ in $(seq 1 600); do
  if curl -skf -H "Authorization: Bearer $admin_token" "$server/readyz" >/dev/null 2>&1; then ready=true; break; fi
  kill -0 "$(cat apiserver.pid)" 2>/dev/null || break
  sleep 0.1
done
if [ "$ready" != true ]; then
  echo "kube-apiserver did not become ready; last log lines:" >&2
  tail -20 apiserver.log >&2
  "$script_dir/stop-apiserver.sh" "$workdir" >/dev/null 2>&1 || true
  exit 1
fi

write_kubeconfig() { # file user token namespace
  cat > "$1" <<KC
apiVersion: v1
kind: Config
clusters: [{name: local, cluster: {server: "$server", insecure-skip-tls-verify: true}}]
users: [{name: $2, user: {token: $3}}]
contexts: [{name: local, context: {cluster: local, user: $2, namespace: $4}}]
current-context: local
KC
  chmod 600 "$1"
}
write_kubeconfig kubeconfig admin "$admin_token" default
write_kubeconfig kubeconfig-restricted model-cicd-rollout "$restricted_token" "$restricted_namespace"
echo "$server" > server-url
if [ -n "${MODEL_CICD_KUBE_OWNER_PID:-}" ]; then
  # a test run owns this server: stop it and remove WORKDIR as soon as that process is gone, however it ended
  nohup bash -c 'while kill -0 "$0" 2>/dev/null; do sleep 1; done; rm -f "$2/watchdog.pid"; "$1" "$2"; rm -rf "$2"' \
    "$MODEL_CICD_KUBE_OWNER_PID" "$script_dir/stop-apiserver.sh" "$workdir" >/dev/null 2>&1 &
  echo $! > watchdog.pid
fi
echo "$restricted_namespace" > restricted-namespace
echo "$workdir/kubeconfig"
