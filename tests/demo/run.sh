#!/usr/bin/env bash
# The ddns demo, for a fresh Debian 12 machine, as root:
#
#   bash tests/demo/run.sh
#
# It installs what it needs (BIND 9, dig, Python's venv), installs this
# repository with pip into a virtual environment, starts a real BIND 9 on
# loopback (a dynamic zone, a TSIG key) and a small DynDNS2 endpoint, writes a
# ddns.conf with one host of each kind, runs `ddns update-all` twice (the first
# run updates, the second must send nothing), shows `ddns status` and the
# records as the servers hold them, and removes everything it started or wrote.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ZONE=example.test
NSUPDATE_HOST=gw.example.test
DYNDNS2_HOST=home.example.net
KEY_NAME=ddns-demo
IPV4=198.51.100.7
IPV6=2001:db8:100::7
DYNDNS2_USER=demo
DYNDNS2_PASSWORD=s3cret-demo

say() { printf '\n==> %s\n' "$*"; }
fail() { printf '\nDEMO FAILED: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "run me as root (I install packages and start named)"

# --- what the demo needs ---------------------------------------------------------
missing=()
command -v /usr/sbin/named >/dev/null || missing+=(bind9)
command -v dig >/dev/null || missing+=(bind9-dnsutils)
command -v python3 >/dev/null || missing+=(python3)
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv python3-pip)
if [ ${#missing[@]} -gt 0 ]; then
    say "Installing ${missing[*]} (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # The Debian builds of the libraries ddns uses, so pip need not fetch them.
    apt-get install -y -q "${missing[@]}" python3-requests python3-configobj \
        python3-dnspython python3-setuptools gettext
else
    say "BIND 9, dig and Python are installed already"
fi

# --- a place for everything, removed at the end ---------------------------------
WORK=$(mktemp -d /tmp/ddns-demo.XXXXXX)
# Debian's AppArmor profile lets named write only below /var/lib/bind.
if [ -d /var/lib/bind ] && [ -w /var/lib/bind ]; then
    BINDDIR=$(mktemp -d /var/lib/bind/ddns-demo.XXXXXX)
else
    BINDDIR=$(mktemp -d /tmp/ddns-demo-bind.XXXXXX)
fi
NAMED_PID=
ENDPOINT_PID=
cleanup() {
    local status=$?
    set +e
    for pid in $NAMED_PID $ENDPOINT_PID; do
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    rm -rf "$WORK" "$BINDDIR"
    if [ "$status" = 0 ]; then
        printf '\nStopped BIND and the DynDNS2 endpoint, removed %s and %s.\n' "$WORK" "$BINDDIR"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "Installing ddns from $REPO into a virtual environment (pip install .)"
python3 -m venv --system-site-packages "$WORK/venv"
"$WORK/venv/bin/pip" install --quiet --disable-pip-version-check "$REPO"
DDNS="$WORK/venv/bin/ddns"

# A port free on 127.0.0.1 and ::1 for TCP and UDP, 5300 when it is.
free_port() {
    python3 - "$1" <<'EOF'
import socket, sys
def free(port):
    for host, family in (("127.0.0.1", socket.AF_INET), ("::1", socket.AF_INET6)):
        for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
            try:
                with socket.socket(family, kind) as s:
                    s.bind((host, port))
            except OSError as exc:
                if family == socket.AF_INET6 and exc.errno == 99:
                    continue  # no IPv6 loopback on this machine
                return False
    return True
port = int(sys.argv[1])
while not free(port):
    port += 1
print(port)
EOF
}

# --- BIND 9 with a dynamic zone --------------------------------------------------
DNS_PORT=$(free_port 5300)
if python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
    LISTEN_V6="::1;"
else
    LISTEN_V6="none;"
fi
SECRET=$(/usr/sbin/tsig-keygen -a hmac-sha256 "$KEY_NAME" | sed -n 's/.*secret "\(.*\)";.*/\1/p')
[ -n "$SECRET" ] || fail "tsig-keygen printed no secret"

cat >"$BINDDIR/named.conf" <<EOF
options {
    directory "$BINDDIR";
    pid-file "$BINDDIR/named.pid";
    session-keyfile "$BINDDIR/session.key";
    listen-on port $DNS_PORT { 127.0.0.1; };
    listen-on-v6 port $DNS_PORT { $LISTEN_V6 };
    recursion no;
    dnssec-validation no;
    notify no;
};
controls { };
key "$KEY_NAME" {
    algorithm hmac-sha256;
    secret "$SECRET";
};
zone "$ZONE" {
    type primary;
    file "$BINDDIR/$ZONE.zone";
    // The key may change the A and AAAA records of names in the zone.
    update-policy { grant $KEY_NAME subdomain $ZONE. A AAAA; };
};
EOF
cat >"$BINDDIR/$ZONE.zone" <<EOF
\$TTL 300
@   IN SOA ns1.$ZONE. hostmaster.$ZONE. 1 3600 600 86400 60
@   IN NS  ns1.$ZONE.
ns1 IN A   127.0.0.1
EOF

say "Starting BIND 9 on 127.0.0.1 (and ::1) port $DNS_PORT, zone $ZONE, TSIG key $KEY_NAME"
/usr/sbin/named -g -n 1 -c "$BINDDIR/named.conf" >"$WORK/named.log" 2>&1 &
NAMED_PID=$!
serial() { dig @127.0.0.1 -p "$DNS_PORT" +short +time=1 +tries=1 "$ZONE" SOA | awk '{print $3}'; }
for _ in $(seq 100); do
    [ -n "$(serial 2>/dev/null)" ] && break
    kill -0 "$NAMED_PID" 2>/dev/null || { cat "$WORK/named.log"; fail "named exited"; }
    sleep 0.1
done
[ -n "$(serial)" ] || { cat "$WORK/named.log"; fail "named did not answer"; }

# --- the DynDNS2 endpoint --------------------------------------------------------
say "Starting a DynDNS2 endpoint on 127.0.0.1 (user $DYNDNS2_USER, host $DYNDNS2_HOST)"
python3 "$REPO/tests/demo/dyndns2_endpoint.py" --port 0 --port-file "$WORK/endpoint.port" \
    --user "$DYNDNS2_USER" --password "$DYNDNS2_PASSWORD" --host "$DYNDNS2_HOST" \
    >"$WORK/endpoint.log" 2>&1 &
ENDPOINT_PID=$!
for _ in $(seq 100); do
    [ -s "$WORK/endpoint.port" ] && break
    sleep 0.1
done
[ -s "$WORK/endpoint.port" ] || { cat "$WORK/endpoint.log"; fail "the endpoint did not start"; }
HTTP_PORT=$(cat "$WORK/endpoint.port")
requests() { grep -c ' GET /nic/update ' "$WORK/endpoint.log" || true; }

# --- the configuration -----------------------------------------------------------
CONF="$WORK/ddns.conf"
cat >"$CONF" <<EOF
[config]
# Fixed addresses from the documentation ranges, so no check service is asked.
ipv4_address = $IPV4
ipv6_address = $IPV6
database = $WORK/ddns.db

# RFC 2136 update of BIND, signed with the TSIG key (the server's port as
# nsupdate writes it: "host port").
[$NSUPDATE_HOST]
provider = nsupdate
server = 127.0.0.1 $DNS_PORT
zone = $ZONE
key = hmac-sha256:$KEY_NAME
secret = $SECRET
ttl = 60

# Any DynDNS2 server: the url replaces the provider's update endpoint.
[$DYNDNS2_HOST]
provider = dyndns2
url = http://127.0.0.1:$HTTP_PORT/nic/update
username = $DYNDNS2_USER
password = $DYNDNS2_PASSWORD
EOF
say "The configuration, $CONF (TSIG secret and password masked here)"
sed -e "s|^secret = .*|secret = ********|" -e "s|^password = .*|password = ********|" "$CONF"

# --- two runs --------------------------------------------------------------------
run_ddns() {
    printf '$ ddns -c %s %s\n' "$CONF" "$*"
    set +e
    "$DDNS" -c "$CONF" "$@"
    local status=$?
    set -e
    printf '(exit status %s)\n' "$status"
    return "$status"
}

say "First run: every record is new, so both hosts are updated"
serial_before=$(serial)
run_ddns update-all || fail "the first run failed"
first_requests=$(requests)
serial_first=$(serial)
echo "The DynDNS2 endpoint saw:"
sed -n 's/^dyndns2 endpoint: GET/  GET/p' "$WORK/endpoint.log"
echo "BIND's zone serial went from $serial_before to $serial_first."
[ "$first_requests" -ge 1 ] || fail "the first run sent nothing to the DynDNS2 endpoint"
[ "$serial_first" != "$serial_before" ] || fail "the first run did not update BIND"

say "Second run: nothing changed, so nothing must be sent"
run_ddns update-all || fail "the second run failed"
second_requests=$(( $(requests) - first_requests ))
serial_second=$(serial)
echo "The DynDNS2 endpoint received $second_requests new requests;" \
    "BIND's zone serial stayed at $serial_second."
[ "$second_requests" = 0 ] || fail "the second run sent $second_requests requests"
[ "$serial_second" = "$serial_first" ] || fail "the second run changed the zone"

say "What ddns knows"
run_ddns status || fail "ddns status failed"

say "The records as the servers hold them"
printf '$ dig @127.0.0.1 -p %s +noall +answer %s A %s AAAA\n' "$DNS_PORT" "$NSUPDATE_HOST" "$NSUPDATE_HOST"
dig @127.0.0.1 -p "$DNS_PORT" +noall +answer "$NSUPDATE_HOST" A "$NSUPDATE_HOST" AAAA
echo "The DynDNS2 endpoint's records:"
python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())' \
    "http://127.0.0.1:$HTTP_PORT/records"
a_record=$(dig @127.0.0.1 -p "$DNS_PORT" +short "$NSUPDATE_HOST" A)
aaaa_record=$(dig @127.0.0.1 -p "$DNS_PORT" +short "$NSUPDATE_HOST" AAAA)
[ "$a_record" = "$IPV4" ] || fail "BIND holds A '$a_record', not $IPV4"
[ "$aaaa_record" = "$IPV6" ] || fail "BIND holds AAAA '$aaaa_record', not $IPV6"

say "What happened"
cat <<EOF
- ddns read $CONF: two hosts, and fixed addresses $IPV4 and $IPV6.
- First run: it sent one signed RFC 2136 UPDATE to BIND for $NSUPDATE_HOST
  (A and AAAA together, TTL 60) and $first_requests DynDNS2 request(s) for
  $DYNDNS2_HOST; both servers accepted, and the history in $WORK/ddns.db
  recorded what was sent.
- Second run: the addresses were those already sent, so ddns sent nothing:
  $second_requests requests to the endpoint, and BIND's serial stayed at $serial_second.
- dig shows BIND holding $NSUPDATE_HOST A $a_record and AAAA $aaaa_record.
EOF
