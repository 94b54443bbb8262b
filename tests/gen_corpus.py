#!/usr/bin/env python3
"""gen_corpus.py N OUTDIR [SEED] — N small synthetic war reports for the
worker and scale tests: EVENTS stories, each reported as near-copies
(another headline, other boilerplate, one truncated) and as independent
rewrites (another body) naming the same town and date.  Bodies are drawn
from a pseudo-vocabulary so different stories never look like copies.
Deterministic for a given SEED."""
import os, random, sys

n = int(sys.argv[1]); out = sys.argv[2]; seed = int(sys.argv[3]) if len(sys.argv) > 3 else 7
rng = random.Random(seed)
os.makedirs(out, exist_ok=True)
syl = ["ka", "ro", "mi", "ten", "vol", "dar", "usk", "lin", "pe", "zo", "bra", "sht", "ov", "ia",
       "ne", "gor", "yan", "til", "mar", "es", "ko", "vi", "lu", "dno"]
def word(k=2):
    return "".join(rng.choice(syl) for _ in range(rng.randint(k, k + 2)))
vocab = [word() for _ in range(3000)]
acts = ["shelled", "struck", "bombed", "attacked", "hit"]
sites = ["a school", "a market", "a hospital", "a bus depot", "a bridge", "an apartment block"]
sides = [("Russian", "Ukrainian"), ("Ukrainian", "Russian")]
said = ["officials said", "the regional governor said", "the ministry said", "witnesses said"]
months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November"]
boiler = ["Sign up for our newsletter.", "Share this article.", "Advertisement",
          "Related: more news from the region.", "Follow us on social media."]

def body(town, date, side, site, act):
    paras = ["%s forces %s %s in %s on %s, %s." % (side[0], act, site, town, date, rng.choice(said))]
    for _ in range(rng.randint(3, 5)):
        paras.append(" ".join(rng.choice(vocab) for _ in range(rng.randint(14, 24))).capitalize() + ".")
    return paras

i = 0
events = max(1, n // 5)
for e in range(events):
    town = word(3).capitalize()
    date = "%d %s 2023" % (rng.randint(1, 28), rng.choice(months))
    side, site, act = rng.choice(sides), rng.choice(sites), rng.choice(acts)
    story = body(town, date, side, site, act)
    for k in range(5):
        if i >= n: break
        if k < 3:   # copies of one story
            paras = list(story) if k != 2 else story[:-1]
            head = "%s %s %s in %s" % (side[0], act, site.split()[-1], town)
            if k: head = "%s: %s %s (%d)" % (town, site.split()[-1], act, k)
            text = head + "\n\n" + "\n\n".join(paras) + "\n\n" + rng.choice(boiler) + "\n"
        else:       # an independent rewrite of the same event
            text = "Report from %s\n\n" % town + "\n\n".join(body(town, date, side, site, act)) + "\n"
        with open(os.path.join(out, "doc%05d.txt" % i), "w") as f:
            f.write(text)
        i += 1
