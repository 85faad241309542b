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
    if "GATEWAY_INTERFACE" not in os.environ:
        from ddns.errors import DDNSError
        from ddns.ipfire.generate import regenerate

        try:
            regenerate()
        except (DDNSError, OSError) as exc:
            print(f"ddns.cgi: {exc}", file=sys.stderr)
            return 1
        return 0

    from wsgiref.handlers import CGIHandler

    from ddns.web import application

    CGIHandler().run(application)
    return 0


if __name__ == "__main__":
    sys.exit(main())
