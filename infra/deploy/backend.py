#!/usr/bin/env python3
"""A tiny backend for the cluster test: GET /pizza/menu answers a JSON menu. Usage: backend.py PORT"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = json.dumps([{"name": "Margherita", "price": "8.00"}, {"name": "Diavola", "price": "9.50"}]).encode()
        self.send_response(200 if self.path.startswith("/pizza/") else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
