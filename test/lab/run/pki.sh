#!/usr/bin/env bash
# The lab's credentials: one CA, the API server's serving cert, an admin client cert (system:masters), a
# service-account key, the operator's webhook serving cert, and the admin kubeconfig. Kept across up/down.
# Sourced by lab.sh after run/settings.sh.
set -euo pipefail

make_pki() {
  [[ -f $PKI/admin.crt ]] && return 0
  lab_log "generating certificates in $PKI"
  mkdir -p "$PKI"
  (
    cd "$PKI"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=skyshift-lab-ca \
      -keyout ca.key -out ca.crt 2>/dev/null
    # 10.96.0.1 is the first address of the service range: in-cluster clients reach the API through it.
    openssl req -newkey rsa:2048 -nodes -subj /CN=kube-apiserver -keyout apiserver.key -out apiserver.csr 2>/dev/null
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -out apiserver.crt \
      -extfile <(printf 'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\nextendedKeyUsage=serverAuth\n') 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/O=system:masters/CN=skyshift-admin" \
      -keyout admin.key -out admin.csr 2>/dev/null
    openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -out admin.crt \
      -extfile <(printf 'extendedKeyUsage=clientAuth\n') 2>/dev/null
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    rm -f ./*.csr ca.srl
  )
}

# The operator's webhook serving certificate, for 127.0.0.1 (the address the webhook configurations name),
# signed by the lab CA that the configurations' caBundle carries. Made on its own: PKI from an older
# lab (without it) is kept.
make_webhook_cert() {
  [[ -f $PKI/operator-webhook.crt ]] && return 0
  (
    cd "$PKI"
    openssl req -newkey rsa:2048 -nodes -subj /CN=otel-operator-webhook \
      -keyout operator-webhook.key -out operator-webhook.csr 2>/dev/null
    openssl x509 -req -in operator-webhook.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
      -out operator-webhook.crt.tmp \
      -extfile <(printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n') 2>/dev/null
    mv operator-webhook.crt.tmp operator-webhook.crt
    rm -f ./*.csr ca.srl
  )
}

write_kubeconfig() {
  local tmp="$KUBECONFIG_FILE.tmp"
  cat >"$tmp" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: skyshift-lab
  cluster:
    server: https://127.0.0.1:$LAB_APISERVER_PORT
    certificate-authority-data: $(base64 -w0 <"$PKI/ca.crt")
users:
- name: skyshift-admin
  user:
    client-certificate-data: $(base64 -w0 <"$PKI/admin.crt")
    client-key-data: $(base64 -w0 <"$PKI/admin.key")
contexts:
- name: skyshift-lab
  context: {cluster: skyshift-lab, user: skyshift-admin}
current-context: skyshift-lab
KUBECONFIG
  chmod 600 "$tmp"
  mv "$tmp" "$KUBECONFIG_FILE"
}
