#!/usr/bin/env python3
"""A minimal ClickHouse HTTP interface in front of chDB (the ClickHouse engine as a library).

No current ClickHouse server package is reachable from the build machine; chDB runs the current
engine in-process. This front lets the project's own HTTP client (ClickHouseHttp, RunQuery,
ApplySchema) run unchanged against that engine, from a separate process, so the schema, every
migration and every analyst query are checked by the engine itself. What the front does itself,
and is therefore NOT an engine check: parsing the URL (query, database, default_format, param_*),
refusing writes when readonly=1 (a keyword check), authentication (none: loopback only), and reading the binary body of an
INSERT ... FORMAT RowBinary from a temporary file (FROM INFILE), since a query text cannot carry it.

Usage: chdb_http.py --lib /path/libchdb.so --data DIR --port N
"""
import argparse
import ctypes
import os
import re
import sys
import tempfile
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

READ_ONLY_STATEMENT = re.compile(r"^(SELECT|WITH|SHOW|DESCRIBE|DESC|EXISTS|EXPLAIN)\b", re.IGNORECASE)
LEADING_COMMENTS = re.compile(r"^(\s*(--[^\n]*(\n|$)|/\*.*?\*/))*\s*", re.DOTALL)
PARAMETER_NAME = re.compile(r"^\w+$")
ROW_BINARY_INSERT = re.compile(r"^\s*(INSERT\s+INTO\s+[\w.]+\s*\([\w\s,]+\))\s+FORMAT\s+RowBinary\s*$", re.IGNORECASE)


class Engine:
    """One chDB connection; chDB runs one query at a time per connection, hence the lock."""

    def __init__(self, lib_path, data_dir):
        lib = ctypes.CDLL(lib_path)
        lib.chdb_connect.restype = ctypes.c_void_p
        lib.chdb_connect.argtypes = [ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)]
        lib.chdb_query_n.restype = ctypes.c_void_p
        lib.chdb_query_n.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t]
        lib.chdb_result_error.restype = ctypes.c_char_p
        lib.chdb_result_error.argtypes = [ctypes.c_void_p]
        lib.chdb_result_buffer.restype = ctypes.c_void_p
        lib.chdb_result_buffer.argtypes = [ctypes.c_void_p]
        lib.chdb_result_length.restype = ctypes.c_size_t
        lib.chdb_result_length.argtypes = [ctypes.c_void_p]
        lib.chdb_destroy_query_result.argtypes = [ctypes.c_void_p]
        lib.chdb_close_conn.argtypes = [ctypes.c_void_p]
        args = [b"clickhouse", ("--path=" + data_dir).encode()]
        argv = (ctypes.c_char_p * len(args))(*args)
        self.handle = lib.chdb_connect(len(args), argv)
        if not self.handle:
            raise RuntimeError("chdb_connect failed for " + data_dir)
        self.conn = ctypes.cast(self.handle, ctypes.POINTER(ctypes.c_void_p)).contents.value
        self.lib = lib
        self.lock = threading.Lock()

    def query(self, sql, fmt="TabSeparated"):
        """Runs one statement; returns (ok, bytes) with the engine's own error text when not ok."""
        q = sql.encode("utf-8")
        f = fmt.encode("utf-8")
        result = self.lib.chdb_query_n(self.conn, q, len(q), f, len(f))
        if not result:
            return False, b"Code: 1000. chdb_query_n returned no result"
        try:
            error = self.lib.chdb_result_error(result)
            if error is not None:
                return False, error
            length = self.lib.chdb_result_length(result)
            buffer = self.lib.chdb_result_buffer(result)
            return True, ctypes.string_at(buffer, length) if length else b""
        finally:
            self.lib.chdb_destroy_query_result(result)

    def close(self):
        self.lib.chdb_close_conn(self.handle)


def quoted(value):
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def make_handler(engine):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # quiet: the test reads the answers, not an access log
            pass

        def answer(self, status, body):
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=UTF-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            if url.path in ("/ping", "/"):
                if url.path == "/ping" or not url.query:
                    self.answer(200, b"Ok.\n")
                    return
            self.handle_query(url, b"")

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            self.handle_query(urllib.parse.urlsplit(self.path), body)

        def handle_query(self, url, body):
            params = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
            if params.get("compress") == "1" or params.get("decompress") == "1":
                self.answer(400, b"Code: 1001. this test front does not compress\n")
                return
            binary_insert = ROW_BINARY_INSERT.match(params.get("query", ""))
            if binary_insert and body:
                # A server streams the binary body into the insert; the engine's query text cannot
                # carry it (NUL bytes), so it reads the same bytes from a file.
                with tempfile.NamedTemporaryFile(suffix=".rowbinary", delete=False) as data:
                    data.write(body)
                try:
                    with engine.lock:
                        ok, out = engine.query(binary_insert.group(1) + " FROM INFILE " + quoted(data.name) + " FORMAT RowBinary")
                finally:
                    os.unlink(data.name)
                self.answer(200 if ok else 500, out)
                return
            parts = [params.get("query", ""), body.decode("utf-8")]
            sql = "\n".join(p for p in parts if p).strip()
            if not sql:
                self.answer(400, b"Code: 62. Empty query\n")
                return
            if params.get("readonly") == "1" and not READ_ONLY_STATEMENT.match(LEADING_COMMENTS.sub("", sql, count=1)):
                self.answer(500, b"Code: 164. DB::Exception: Cannot execute query in readonly mode (readonly=1,"
                                 b" refused by the chDB test front)\n")
                return
            fmt = params.get("default_format", "TabSeparated")
            with engine.lock:
                setup = []
                if params.get("database"):
                    setup.append("USE " + params["database"])
                for name, value in params.items():
                    if name.startswith("param_"):
                        if not PARAMETER_NAME.match(name):
                            self.answer(400, b"Code: 36. bad parameter name\n")
                            return
                        setup.append("SET " + name + " = " + quoted(value))
                for statement in setup:
                    ok, out = engine.query(statement)
                    if not ok:
                        self.answer(500, out)
                        return
                ok, out = engine.query(sql, fmt)
                if params.get("database"):
                    engine.query("USE default")
            self.answer(200 if ok else 500, out)

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lib", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    engine = Engine(args.lib, args.data)
    ok, version = engine.query("SELECT version()")
    if not ok:
        sys.exit("chDB does not answer: " + version.decode(errors="replace"))
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(engine))
    print("chDB " + version.decode().strip() + " on http://127.0.0.1:" + str(args.port), flush=True)
    try:
        server.serve_forever()
    finally:
        engine.close()


if __name__ == "__main__":
    main()
