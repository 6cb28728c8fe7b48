#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make bench-s3's table: reads the guest's rows.jsonl (one s3bench JSON
line per run, target and row, with the guest's busy CPU ticks over the row),
prints one table of medians over the runs and writes the results JSON.

usage: s3-report.py ROWS.jsonl OUT.json [key=value ...]   (extra top-level fields)
       s3-report.py --markdown RESULTS.json    (the table for docs/performance.md)
"""
import json
import statistics
import sys

TARGETS = ["ks3", "nginx", "s3rver"]


def size_name(n):
    for unit, div in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= div and n % div == 0:
            return "%d %s" % (n // div, unit)
    return "%d B" % n


def med(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None


def per_row(rs):
    """medians over the runs of one (target, workload) row"""
    def cpu(r):
        if not r.get("requests"):
            return None
        return r["cpu_ticks"] * 1e6 / r.get("user_hz", 100) / r["requests"]

    def client(r):
        if not r.get("requests"):
            return None
        return r.get("client_cpu_us", 0) / r["requests"]

    def lat(r, p):
        if not r.get("requests"):
            return None
        return r.get("latency_us", {}).get(p, 0) / 1e3

    return {
        "req_per_s": med([r.get("req_per_s", 0) for r in rs]),
        "mb_per_s": med([r.get("mb_per_s", 0) for r in rs]),
        # latency only from runs where requests completed
        "p50_ms": med([lat(r, "p50") for r in rs]),
        "p99_ms": med([lat(r, "p99") for r in rs]),
        "p99_9_ms": med([lat(r, "p99_9") for r in rs]),
        "cpu_us_per_req": med([cpu(r) for r in rs]),
        "client_cpu_us_per_req": med([client(r) for r in rs]),
        "errors": sum(r.get("errors", 0) for r in rs),
        "runs": len(rs),
    }


def fmt(v, f="%.0f"):
    return "-" if v is None else f % v


def markdown(path):
    j = json.load(open(path))
    print("%s, commit %s, kernel %s, %d run(s) of %s s rows (medians)\n" % (
        j.get("date", "?"), j.get("commit", "?"), j.get("kernel", "?"), j.get("runs", 0),
        j.get("duration_s", "?")))
    print("| workload | conns | ks3 req/s | ks3 MB/s | ks3 p99 ms | nginx req/s | nginx MB/s | nginx p99 ms "
          "| s3rver req/s | s3rver MB/s | s3rver p99 ms | ks3/nginx | ks3/s3rver "
          "| cpu µs/req ks3 | nginx | s3rver |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in j["rows"]:
        cells = ["%s %s" % (r["op"].upper(), size_name(r["size"])), str(r["connections"])]
        for t in TARGETS:
            v = r["targets"].get(t, {})
            rps = v.get("req_per_s")
            cells += [fmt(rps, "%.1f" if rps is not None and rps < 10 else "%.0f"),
                      fmt(v.get("mb_per_s"), "%.1f"), fmt(v.get("p99_ms"), "%.0f")]
        cells += [fmt(r.get("ks3_over_nginx"), "%.2f×"), fmt(r.get("ks3_over_s3rver"), "%.2f×")]
        cells += [fmt(r["targets"].get(t, {}).get("cpu_us_per_req")) for t in TARGETS]
        print("| " + " | ".join(cells) + " |")


def main():
    if sys.argv[1] == "--markdown":
        return markdown(sys.argv[2])
    rows_path, out_path = sys.argv[1], sys.argv[2]
    extra = dict(a.split("=", 1) for a in sys.argv[3:])
    raw = [json.loads(l) for l in open(rows_path) if l.strip()]
    if any(r.get("op") in ("list", "fill") for r in raw):
        return list_report(raw, out_path, extra)
    keys = []
    for r in raw:
        k = (r["op"], r.get("size", 0), r.get("connections", 0))
        if k not in keys:
            keys.append(k)
    results = []
    for op, size, conns in keys:
        row = {"op": op, "size": size, "connections": conns, "targets": {}}
        for t in TARGETS:
            rs = [r for r in raw if (r["op"], r.get("size"), r.get("connections"), r["target"]) == (op, size, conns, t)]
            if rs:
                row["targets"][t] = per_row(rs)
        # throughput ratio: req/s below 1 MiB, MB/s from 1 MiB (the
        # bytes of partly sent 16 MiB objects count too)
        metric = "mb_per_s" if size >= 1 << 20 else "req_per_s"
        k = row["targets"].get("ks3", {}).get(metric)
        for other in ("nginx", "s3rver"):
            o = row["targets"].get(other, {}).get(metric)
            row["ks3_over_" + other] = (k / o) if k is not None and o else None
        row["ratio_metric"] = metric
        results.append(row)

    present = [t for t in TARGETS if any(t in r["targets"] for r in results)]
    head = "%-13s %5s" % ("workload", "conns")
    for t in present:
        head += " | %-6s %8s %8s %8s" % (t, "req/s", "MB/s", "p99 ms")
    head += " | %9s %10s | cpu us/req: " % ("ks3/nginx", "ks3/s3rver")
    head += " ".join("%7s" % t for t in present)
    print(head)
    print("-" * len(head))
    for r in results:
        line = "%-13s %5d" % ("%s %s" % (r["op"].upper(), size_name(r["size"])), r["connections"])
        for t in present:
            v = r["targets"].get(t, {})
            rps = v.get("req_per_s")
            line += " | %-6s %8s %8s %8s" % ("", fmt(rps, "%.1f" if rps is not None and rps < 10 else "%.0f"),
                                             fmt(v.get("mb_per_s"), "%.1f"),
                                             fmt(v.get("p99_ms"), "%.1f"))
        line += " | %8s  %9s  | %11s " % (fmt(r["ks3_over_nginx"], "%.2fx"), fmt(r["ks3_over_s3rver"], "%.2fx"), "")
        line += " ".join("%7s" % fmt(r["targets"].get(t, {}).get("cpu_us_per_req")) for t in present)
        errs = {t: r["targets"][t]["errors"] for t in present if r["targets"].get(t, {}).get("errors")}
        if errs:
            line += "  errors: " + ", ".join("%s %d" % kv for kv in errs.items())
        print(line)
    runs = max((r.get("run", 1) for r in raw), default=0)
    print("medians of %d run(s); ratios of req/s below 1 MiB, of MB/s from 1 MiB; "
          "cpu us/req: busy guest CPU (all vCPUs, client included) per request" % runs)
    out = dict(extra)
    out.update(runs=runs, rows=results, raw=raw)
    with open(out_path, "w") as f:
        json.dump(out, f, indent=1)
    print("results: %s" % out_path)


def list_report(raw, out_path, extra):
    fill = [r for r in raw if r["op"] == "fill"]
    for r in fill:
        print("fill: %d objects of %d bytes in %.0f s: %.0f PUT/s, errors %d, cpu %.0f us/object" % (
            r.get("requests", 0), r.get("size", 0), r.get("wall_s", 0),
            r.get("req_per_s", 0), r.get("errors", 0),
            r["cpu_ticks"] * 1e4 / max(r.get("requests", 1), 1)))
    print("%-10s %5s %9s %9s %9s %9s %9s %7s" % ("LIST", "conns", "pages/s", "p50 ms", "p99 ms",
                                             "cpu us/pg", "keys/pg", "errors"))
    res = []
    for r in raw:
        if r["op"] != "list":
            continue
        cpu = r["cpu_ticks"] * 1e4 / r["requests"] if r.get("requests") else None
        kpp = ((r.get("list_keys", 0) + r.get("list_prefixes", 0)) / r["requests"]
               if r.get("requests") else None)
        print("%-10s %5d %9.1f %9.2f %9.2f %9s %9s %7d" % (r["mode"], r["connections"], r["req_per_s"],
                                                       r["latency_us"]["p50"] / 1e3,
                                                       r["latency_us"]["p99"] / 1e3,
                                                       fmt(cpu), fmt(kpp), r["errors"]))
        res.append({"mode": r["mode"], "connections": r["connections"], "pages_per_s": r["req_per_s"],
                    "p50_ms": r["latency_us"]["p50"] / 1e3, "p99_ms": r["latency_us"]["p99"] / 1e3,
                    "cpu_us_per_page": cpu, "keys_per_page": kpp, "errors": r["errors"]})
    out = dict(extra)
    out.update(fill=fill, list=res, raw=raw)
    with open(out_path, "w") as f:
        json.dump(out, f, indent=1)
    print("results: %s" % out_path)


if __name__ == "__main__":
    main()
