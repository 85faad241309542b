#!/bin/sh
# Regenerates po/ddns.pot from the sources and merges it into every catalogue
# listed in po/LINGUAS. Needs Babel (pip install babel) and GNU gettext.
set -eu
cd "$(dirname "$0")/.."
pybabel -q extract -F po/babel.cfg \
    -k _ -k N_ -k ngettext:1,2 \
    --project=ddns --version="$(python3 -c 'import ddns; print(ddns.__version__)')" \
    --msgid-bugs-address=https://bugzilla.ipfire.org/ \
    --copyright-holder="the ddns authors" \
    --sort-by-file --width=88 \
    -o po/ddns.pot ddns
while read -r lang; do
    [ -n "$lang" ] || continue
    po="po/$lang.po"
    if [ -f "$po" ]; then
        msgmerge --quiet --update --backup=none --no-fuzzy-matching "$po" po/ddns.pot
    else
        msginit --no-translator --no-wrap --locale="$lang.UTF-8" -i po/ddns.pot -o "$po" 2>/dev/null
    fi
done < po/LINGUAS
echo "po/ddns.pot and $(grep -c . po/LINGUAS) catalogues updated"
