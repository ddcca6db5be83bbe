"""Reference outputs of Python 3.11 for the differential tests of package listing.

Reads one JSON request from stdin and writes one JSON answer to stdout:

  listings: [{"dir": fs path, "path": hex of self.path's bytes}]
      -> [{"status": int, "headers": [[name, value], ...], "body": hex}]
      SimpleHTTPRequestHandler.list_directory, run without a socket.
  decode: [hex of bytes]
      -> [hex of html.escape(bytes.decode('utf-8', 'replace'), quote=False)]
  quote: [hex of bytes] -> [urllib.parse.quote(bytes)]
  lower: [str] -> [str.lower()]

Run it with python3 -X utf8, so that the page says charset=utf-8 whatever
the locale.
"""

import html
import json
import sys
import urllib.parse
from http.server import SimpleHTTPRequestHandler


def list_directory(fs_path, request_path):
    # __new__ skips BaseRequestHandler.__init__, which would want a socket.
    h = SimpleHTTPRequestHandler.__new__(SimpleHTTPRequestHandler)
    # Python decodes the request line as ISO-8859-1 (parse_request).
    h.path = request_path.decode("iso-8859-1")
    result = {"status": None, "headers": [], "body": ""}
    h.send_response = lambda code, message=None: result.update(status=int(code))
    h.send_header = lambda k, v: result["headers"].append([k, v])
    h.end_headers = lambda: None

    def send_error(code, message=None, explain=None):
        result["status"] = int(code)

    h.send_error = send_error
    f = h.list_directory(fs_path)
    if f is not None:
        result["body"] = f.read().hex()
    return result


def main():
    req = json.load(sys.stdin)
    answer = {
        "listings": [
            list_directory(c["dir"], bytes.fromhex(c["path"]))
            for c in req.get("listings", [])
        ],
        "decode": [
            html.escape(bytes.fromhex(b).decode("utf-8", "replace"), quote=False)
            .encode("utf-8")
            .hex()
            for b in req.get("decode", [])
        ],
        "quote": [urllib.parse.quote(bytes.fromhex(b)) for b in req.get("quote", [])],
        "lower": [s.lower() for s in req.get("lower", [])],
    }
    json.dump(answer, sys.stdout)


main()
