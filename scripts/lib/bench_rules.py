#!/usr/bin/env python3
"""Writes N alert rules (a rules file, README "Alerts") for scripts/bench.sh --rules N to stdout.

The rules are the same for a given N: rule i is template i % 10 of the table below, its host glob and threshold
varied by i // 10. Half are on pagefaults `faults`, half on kmem (`allocs`, `frees`, `net`). They are written for
what tests/Benchmarks/Load sends: hosts sim-0001, sim-0002, ...; keys named from the real Linux captures
(tests/fixtures/captures/linux-stap-*.txt: libc.so.6, lib*.so*, LC_*, *_cache, *inode*, bio*), padded to 200 with
/usr/lib/x86_64-linux-gnu/libsimI.so.1 and kmalloc-rcl-I; each key's value rotates through the rows of the
capture's seconds, so every key now and then carries the busiest row of its second.

Thresholds come from the largest windowed mean one (host, key) series reaches over a 30 s run, replaying the
captures as the generator does:

    window   pagefaults faults     kmem allocs          kmem frees           kmem net
             p95 / p99 / max       p95 / p99 / max      p95 / p99 / max      p95 / p99 / max     (per second)
    10 s     2150 / 2578 / 3185    11639 / 13091 / 13682  9280 / 10689 / 12277  5468 / 5721 / 6077
    20 s     1595 / 1829 / 2044     6880 /  7892 /  9068  5474 /  6326 /  7068  2782 / 3092 / 3451
    30 s     1151 / 1242 / 1390     4874 /  6176 /  7421  3987 /  4775 /  6004  1864 / 2168 / 2345

and kmem net never averages below -111/s over 10 s. Every host replays the same stretch of the captures (its start
is at most one table apart), so which series cross a threshold depends on the run's length more than on the host.
Four templates in ten (shared-lib, bio, ld-linux, inode) sit near the 95th percentile of their own keys' windowed
means: a few of their series fire and most of those resolve within a 20 to 30 s run, more of them in a longer one.
The other six sit past the largest mean any key reaches, or have a 1 m window, so they are evaluated on every
snapshot and never fire.
"""

import sys

# (name, probe, column, key glob or None, hosts glob with {d} for a digit or None, above, below, window, for, clear, severity)
TEMPLATES = [
    ("libc-faults", "pagefaults", "faults", "libc*", None, 4000, None, "10s", None, None, "warning"),
    ("kmalloc-allocs", "kmem", "allocs", "kmalloc-rcl-*", "sim-*{d}", 20000, None, "30s", "10s", None, "warning"),
    ("file-faults", "pagefaults", "faults", None, "sim-000?", 5000, None, "15s", "10s", None, "critical"),
    ("cache-growth", "kmem", "net", "*_cache", None, 5000, None, "20s", "5s", None, "warning"),
    ("shared-lib-faults", "pagefaults", "faults", "lib*", "sim-*{d}", 2100, None, "10s", None, 1600, "info"),
    ("bio-frees", "kmem", "frees", "bio*", None, 5800, None, "10s", None, None, "info"),
    ("libsim-faults", "pagefaults", "faults", "/usr/lib/x86_64-linux-gnu/libsim*", None, 4000, None, "30s", None, None, "warning"),
    ("slab-shrink", "kmem", "net", None, "sim-001?", None, -500, "1m", None, None, "info"),
    ("ld-faults", "pagefaults", "faults", "ld-linux*", None, 700, None, "20s", "5s", None, "warning"),
    ("inode-allocs", "kmem", "allocs", "*inode*", None, 6700, None, "10s", None, 5000, "critical"),
]

# Per round of ten: thresholds a little apart, so that no two rules are the same.
SCALES = [1.0, 1.1, 0.9, 1.2, 1.05]


def rule(i):
    name, probe, column, key, hosts, above, below, window, hold, clear, severity = TEMPLATES[i % len(TEMPLATES)]
    turn = i // len(TEMPLATES)
    scale = SCALES[turn % len(SCALES)]
    lines = [f"  - name: {name}-{i:04d}", f"    probe: {probe}", f"    column: {column}"]
    if key is not None:
        lines.append(f'    key: "{key}"')
    # A host-wide rule without a key tracks every key of every host: only every other round is fleet-wide.
    if hosts is not None and (key is not None or turn % 2 == 0):
        lines.append(f'    hosts: "{hosts.format(d=turn % 10)}"')
    if above is not None:
        lines.append(f"    above: {round(above * scale)}")
    if below is not None:
        lines.append(f"    below: {round(below * scale)}")
    if clear is not None:
        lines.append(f"    clear: {round(clear * scale)}")
    lines.append(f"    window: {window}")
    if hold is not None:
        lines.append(f"    for: {hold}")
    lines.append(f"    severity: {severity}")
    lines.append("    labels: { team: bench }")
    lines.append('    annotations: { summary: "{{host}} {{key}} at {{value}}/s (threshold {{threshold}})" }')
    return "\n".join(lines)


def main():
    count = int(sys.argv[1])
    print("rules:" if count > 0 else "rules: []")
    for i in range(count):
        print(rule(i))


if __name__ == "__main__":
    main()
