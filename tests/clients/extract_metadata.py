"""Print what extruct (a real structured-data client) reads from a page: JSON-LD and Open Graph.

Usage: extract_metadata.py PAGE.html BASE_URL  -> JSON on stdout.
"""
import json
import sys

import extruct

html = open(sys.argv[1], encoding="utf-8").read()
data = extruct.extract(html, base_url=sys.argv[2], syntaxes=["json-ld", "opengraph"], uniform=True)
json.dump(data, sys.stdout, ensure_ascii=False)
