"""IPFire's own files: the page's settings and host list, ddns.conf from them."""
