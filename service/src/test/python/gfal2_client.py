#!/usr/bin/python3
"""Drives gfal2, the client library under FTS, against a Stagehand under test.

Reads one JSON object on stdin, {"token": "<bearer or absent>", "ops": [...]}, runs the operations
in order in one gfal2 context, and writes a JSON list with one result per operation on stdout.
An operation that raises gfal2.GError gives {"error": {"code": errno, "message": ...}}.

Operations:
  {"op": "bring_online", "urls": [...], "metadata": optional JSON text}  -> {"token", "errors": [...]}
  {"op": "poll", "urls": [...], "token": t}      -> {"errors": [...]}: null (done) or {"code","message"} per URL
  {"op": "abort", "urls": [...], "token": t}     -> {"errors": [...]}
  {"op": "release", "url": u, "token": t}        -> {"rc": ...}
  {"op": "stat", "url": u}                       -> {"size": ...}
  {"op": "getxattr", "url": u, "name": n}        -> {"value": ...}
  {"op": "checksum", "url": u, "algorithm": a}   -> {"value": ...}
  {"op": "copy", "url": u, "destination": file URL, "checksum": "ADLER32"} -> {"rc": ...}
"""
import json
import sys

import gfal2


def error_of(e):
    if e is None:
        return None
    return {"code": e.code, "message": e.message}


def run(ctx, op):
    kind = op["op"]
    if kind == "bring_online":
        # pintime, timeout, async: as FTS calls it
        if "metadata" in op:
            errors, token = ctx.bring_online(op["urls"], op["metadata"], 3600, 600, True)
        else:
            errors, token = ctx.bring_online(op["urls"], 3600, 600, True)
        return {"token": token, "errors": [error_of(e) for e in errors]}
    if kind == "poll":
        errors = ctx.bring_online_poll(op["urls"], op["token"])
        return {"errors": [error_of(e) for e in errors]}
    if kind == "abort":
        errors = ctx.abort_bring_online(op["urls"], op["token"])
        return {"errors": [error_of(e) for e in errors]}
    if kind == "release":
        return {"rc": ctx.release(op["url"], op["token"])}
    if kind == "stat":
        return {"size": ctx.stat(op["url"]).st_size}
    if kind == "getxattr":
        return {"value": ctx.getxattr(op["url"], op["name"])}
    if kind == "checksum":
        return {"value": ctx.checksum(op["url"], op["algorithm"])}
    if kind == "copy":
        params = ctx.transfer_parameters()
        params.overwrite = True
        params.set_checksum(gfal2.checksum_mode.both, op["checksum"], "")
        return {"rc": ctx.filecopy(params, op["url"], op["destination"])}
    raise ValueError("unknown operation " + kind)


def main():
    request = json.load(sys.stdin)
    ctx = gfal2.creat_context()
    ctx.set_opt_integer("HTTP PLUGIN", "OPERATION_TIMEOUT", 30)
    if request.get("token"):
        ctx.set_opt_string("BEARER", "TOKEN", request["token"])
    results = []
    for op in request["ops"]:
        try:
            results.append(run(ctx, op))
        except gfal2.GError as e:
            results.append({"error": error_of(e)})
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
