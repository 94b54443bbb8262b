#!/usr/bin/env python3
"""gen_jsonl.py N [SEED] — N synthetic JSONL documents on stdout (text,
title, published, outlet), streamed: nothing is held in memory, so it can
feed `dossier extract -` a million documents (bench/filter.sh)."""
import json, random, sys

n = int(sys.argv[1]); rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 3)
syl = ["ka", "ro", "mi", "ten", "vol", "dar", "usk", "lin", "pe", "zo", "bra", "ov", "ia", "gor"]
vocab = ["".join(rng.choice(syl) for _ in range(rng.randint(2, 4))) for _ in range(5000)]
towns = [w.capitalize() for w in vocab[:400]]
acts = ["shelled", "struck", "attacked", "hit"]
sites = ["a school", "a market", "a hospital", "a bridge"]
out = sys.stdout
for i in range(n):
    town = rng.choice(towns)
    paras = ["%s forces %s %s in %s on %d May 2023, officials said." % (
        rng.choice(["Russian", "Ukrainian"]), rng.choice(acts), rng.choice(sites), town,
        rng.randint(1, 28))]
    for _ in range(rng.randint(2, 5)):
        paras.append(" ".join(rng.choice(vocab) for _ in range(rng.randint(12, 30))).capitalize() + ".")
    out.write(json.dumps({"title": "Report %d from %s" % (i, town), "published": "2023-05-29",
                          "outlet": "Outlet %d" % (i % 50), "text": "\n\n".join(paras)}) + "\n")
