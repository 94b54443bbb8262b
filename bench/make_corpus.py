#!/usr/bin/env python3
"""bench/make_corpus.py SEEDS_DIR OUT_DIR MEGABYTES — a benchmark corpus made by
repeating and varying the seed texts: each document is one seed with its body
lines reordered, its numbers changed and a line dropped or repeated, chosen by
a fixed random generator (the corpus is the same on every run).  Written as
1,000 files per directory.  Not committed: lives in build-data/bench/."""
import os, random, re, sys

seeds_dir, out_dir, mb = sys.argv[1], sys.argv[2], float(sys.argv[3])
seeds = []
for name in sorted(os.listdir(seeds_dir)):
    with open(os.path.join(seeds_dir, name), encoding="utf-8", errors="replace") as f:
        seeds.append(f.read().split("\n"))
rng = random.Random(20240224)
num = re.compile(r"\d+")
target, total, i = int(mb * 1024 * 1024), 0, 0
while total < target:
    lines = list(seeds[i % len(seeds)])
    head, body = lines[:1], lines[1:]
    for _ in range(len(body) // 4):                      # move a few lines
        a, b = rng.randrange(len(body)), rng.randrange(len(body))
        body[a], body[b] = body[b], body[a]
    if body and rng.random() < 0.5:
        body.pop(rng.randrange(len(body)))               # drop one
    if body and rng.random() < 0.3:
        body.insert(rng.randrange(len(body)), rng.choice(body))   # repeat one
    text = "\n".join(head + body)
    text = num.sub(lambda m: str(rng.randrange(1, 10 ** len(m.group(0)) + 1)), text)
    d = os.path.join(out_dir, "%04d" % (i // 1000))
    if i % 1000 == 0:
        os.makedirs(d, exist_ok=True)
    data = text.encode("utf-8")
    with open(os.path.join(d, "doc%06d.txt" % i), "wb") as f:
        f.write(data)
    total += len(data)
    i += 1
print("%d documents, %d bytes" % (i, total))
