#!/usr/bin/python3
"""Services > Dynamic DNS of IPFire's web interface.

Served as CGI (as user nobody), it runs the page's WSGI application. Run
without a request (no GATEWAY_INTERFACE), it only regenerates
/var/ipfire/ddns/ddns.conf from the page's files, as the original did; an
update of the firewall runs it that way.
"""

import os
import sys


def main() -> int:
    request = "GATEWAY_INTERFACE" in os.environ
    if not request or os.environ.get("REQUEST_METHOD", "").upper() == "POST":
        # Changes and their warnings go to syslog, tagged ddns[PID] as every
        # run of the client; a plain page view logs nothing and skips this.
        from ddns.cli import setup_logging

        setup_logging(quiet=True)

    if not request:
        from ddns.errors import DDNSError
        from ddns.ipfire.files import describe
        from ddns.ipfire.generate import regenerate

        try:
            regenerate()
        except OSError as exc:
            print(f"ddns.cgi: {describe(exc)}", file=sys.stderr)
            return 1
        except DDNSError as exc:
            print(f"ddns.cgi: {exc}", file=sys.stderr)
            return 1
        except Exception as exc:
            # A message, never a traceback.
            print(f"ddns.cgi: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
        return 0

    from wsgiref.handlers import CGIHandler

    from ddns.web import application

    CGIHandler().run(application)
    return 0


if __name__ == "__main__":
    sys.exit(main())
