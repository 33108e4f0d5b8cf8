#!/usr/bin/env bash
# Mints the certificate seeds of tests/fuzz/corpus/cert with openssl: a CA and leaves as TLS servers present
# them (DER), one PEM chain, and the odd fields a report must still describe (IP SANs, a negative serial,
# a GeneralizedTime past 2049, no extensions).
set -euo pipefail
out="$(cd "$(dirname "$0")" && pwd)/corpus/cert"
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 3650 \
  -subj "/C=US/O=Contoso Inspection/CN=Contoso TLS Inspection CA" 2>/dev/null
leaf() {  # name subject san days [extra]
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days "$4" -extfile "$1.ext" \
    -out "$1.pem" ${5:-} 2>/dev/null
  openssl x509 -in "$1.pem" -outform DER -out "$out/$1.der"
}
leaf blob "/CN=*.blob.core.windows.net" "DNS:*.blob.core.windows.net,DNS:*.privatelink.blob.core.windows.net" 365
leaf ip-sans "/CN=10.0.0.4" "IP:10.0.0.4,IP:fd00::4,DNS:jumpbox.internal" 30
leaf far-future "/C=DE/O=Ümlaut GmbH/CN=mirror.contoso.com" "DNS:mirror.contoso.com" 10000 "-set_serial -5"
openssl x509 -in ca.pem -outform DER -out "$out/ca.der"
cat blob.pem ca.pem > "$out/chain.pem"
openssl req -x509 -newkey rsa:1024 -nodes -keyout bare.key -out bare.pem -days 1 -subj "/CN=bare" \
  -addext "basicConstraints=critical,CA:TRUE" 2>/dev/null
openssl x509 -in bare.pem -outform DER -out "$out/rsa-self-signed.der"
