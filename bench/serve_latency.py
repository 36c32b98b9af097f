#!/usr/bin/env python3
"""Edit-to-served latency of `dossier serve` (issue 5 and 7).

Starts `dossier serve` on a site, then repeatedly edits the newest brief (its summary and its
body get a new marker), and measures the time from the write until (a) the brief's page and
(b) the home page and the author's page that list it are served with the marker. Prints the
median, min and max in milliseconds. The site is restored afterwards.

    bench/serve_latency.py --dossier target/release/dossier --root /tmp/c10k --runs 11
"""
import argparse, os, re, statistics, subprocess, sys, threading, time, urllib.request


def newest_brief(root):
    best = None
    briefs = os.path.join(root, "content", "briefs")
    for dirpath, _, files in os.walk(briefs):
        for f in files:
            if not f.endswith(".md") or f == "_index.md":
                continue
            p = os.path.join(dirpath, f)
            with open(p, encoding="utf-8") as fh:
                head = fh.read(2000)
            m = re.search(r"^date:\s*\"?([^\"\n]+)", head, re.M)
            if m and (best is None or m.group(1) > best[0]):
                best = (m.group(1), p)
    return best[1]


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read().decode("utf-8", "replace")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dossier", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--runs", type=int, default=11)
    a = ap.parse_args()

    path = newest_brief(a.root)
    slug = os.path.splitext(os.path.basename(path))[0]
    original = open(path, encoding="utf-8").read()
    author = re.search(r"^authors:\s*\[\"?([^\",\]]+)", original, re.M).group(1)
    proc = subprocess.Popen([a.dossier, "serve", "--port", "0", "--root", a.root],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = None
    t0 = time.time()
    for line in proc.stdout:
        m = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        if m:
            base = m.group(1)
            break
    if base is None:
        sys.exit("serve did not start")
    startup = time.time() - t0
    threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
    pages = {"brief": f"{base}briefs/{slug}/", "home": base, "author": f"{base}authors/{author}/"}
    page_ms, all_ms = [], []
    try:
        for i in range(a.runs):
            marker = f"LATENCYMARK{i:03d}x{int(time.time()*1000) % 100000}"
            text = original.replace("summary: \"", f"summary: \"{marker} ", 1)
            text = text.replace("\n---\n", f"\n---\n{marker} ", 1)
            start = time.perf_counter()
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
            seen = {}
            while len(seen) < len(pages):
                for k, u in pages.items():
                    if k not in seen and marker in fetch(u):
                        seen[k] = (time.perf_counter() - start) * 1000
                if time.perf_counter() - start > 60:
                    sys.exit(f"not served after 60 s: {set(pages) - set(seen)}")
                time.sleep(0.001)
            page_ms.append(seen["brief"])
            all_ms.append(max(seen.values()))
            time.sleep(0.3)
    finally:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(original)
        proc.terminate()
        proc.wait()
    def fmt(xs):
        return f"median {statistics.median(xs):.0f} ms (min {min(xs):.0f}, max {max(xs):.0f})"
    print(f"serve start-up (initial build in memory): {startup:.2f} s")
    print(f"edit -> brief page served:                 {fmt(page_ms)}")
    print(f"edit -> brief, home and author page served: {fmt(all_ms)}")


if __name__ == "__main__":
    main()
