"""A tiny DynDNS2 update server for the demo: records in memory, one line a request.

    python3 dyndns2_endpoint.py --port 8245 --user demo --password s3cret \
        --host home.example.net [--host other.example.net]

GET /nic/update?hostname=H&myip=A (basic auth) answers as Dyn's servers do:
`good A` when the record changed, `nochg A` when it did not, `badauth`,
`nohost`, `notfqdn`. An IPv6 address in `myip` (or in `myipv6`) sets the
AAAA record. GET /records shows every record as JSON. Each request is printed
to stdout, without the password.
"""

from __future__ import annotations

import argparse
import base64
import ipaddress
import json
import sys
import threading
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class Records:
    """The A and AAAA record of each known host."""

    def __init__(self, hostnames: Sequence[str]) -> None:
        self.lock = threading.Lock()
        self.by_host: dict[str, dict[str, str]] = {h.lower(): {} for h in hostnames}

    def update(self, hostname: str, address: str) -> str:
        """Set the record of the address's family; the DynDNS2 answer."""
        rdtype = "A" if ipaddress.ip_address(address).version == 4 else "AAAA"
        with self.lock:
            records = self.by_host[hostname]
            if records.get(rdtype) == address:
                return f"nochg {address}"
            records[rdtype] = address
            return f"good {address}"

    def snapshot(self) -> dict[str, dict[str, str]]:
        with self.lock:
            return {host: dict(records) for host, records in self.by_host.items()}


def answer(
    records: Records,
    credentials: tuple[str, str],
    query: dict[str, str],
    authorization: str | None,
    peer: str,
) -> tuple[int, str]:
    """The status and body for one update request."""
    if not authorization or not authorization.startswith("Basic "):
        return 401, "badauth"
    try:
        user, _, password = base64.b64decode(authorization[6:]).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return 401, "badauth"
    if (user, password) != credentials:
        return 200, "badauth"
    hostname = query.get("hostname", "").lower().rstrip(".")
    if "." not in hostname:
        return 200, "notfqdn"
    if hostname not in records.by_host:
        return 200, "nohost"
    addresses = [query[k] for k in ("myip", "myipv6") if query.get(k)] or [peer]
    results = []
    for text in addresses:
        try:
            address = str(ipaddress.ip_address(text))
        except ValueError:
            return 200, "dnserr"
        results.append(records.update(hostname, address))
    return 200, "\n".join(results)


def make_server(
    port: int, credentials: tuple[str, str], hostnames: Sequence[str], out=sys.stdout
) -> ThreadingHTTPServer:
    records = Records(hostnames)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def reply(self, status: int, body: str, content_type: str) -> None:
            payload = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            if status == 401:
                self.send_header("WWW-Authenticate", 'Basic realm="demo"')
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if parts.path == "/records":
                self.reply(
                    200, json.dumps(records.snapshot(), indent=2), "application/json"
                )
                return
            if parts.path != "/nic/update":
                self.reply(404, "not found", "text/plain")
                return
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            status, body = answer(
                records,
                credentials,
                query,
                self.headers.get("Authorization"),
                self.client_address[0],
            )
            shown = " ".join(f"{k}={v}" for k, v in sorted(query.items()))
            print(
                f"dyndns2 endpoint: GET {parts.path} {shown} -> "
                f"{status} {body.replace(chr(10), ' / ')}",
                file=out,
                flush=True,
            )
            self.reply(status, body, "text/plain")

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    server.records = records  # type: ignore[attr-defined]
    return server


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--host", action="append", required=True, dest="hosts")
    parser.add_argument("--port-file", help="write the port here once listening")
    args = parser.parse_args(argv)

    server = make_server(args.port, (args.user, args.password), args.hosts)
    port = server.server_address[1]
    print(
        f"dyndns2 endpoint: listening on http://127.0.0.1:{port}/nic/update",
        flush=True,
    )
    if args.port_file:
        with open(args.port_file, "w") as handle:
            handle.write(f"{port}\n")
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
