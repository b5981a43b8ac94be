#!/usr/bin/env python3
"""Builds data/regions.csv (the project's own region file) from the
reference data: provinces.csv and regencies.csv (Kemendagri codes with
approximate centre points). Run once when the reference data changes:

    tools/data/make_regions.py ../shared/data > data/regions.csv

Output columns: code, level (PROVINCE, REGENCY or CITY), name (title case,
as people write it), province_code, latitude, longitude.
"""
import csv
import sys

KEEP_UPPER = {"DKI", "DI", "II"}

# Errors found in the reference coordinates (a point hundreds of km outside
# its province), replaced with the regency's capital or the province's
# centre: code -> (latitude, longitude).
CORRECTIONS = {
    "31": ("-6.1745", "106.8227"),     # DKI Jakarta: latitude sign
    "34": ("-7.7956", "110.3695"),     # DI Yogyakarta: latitude sign
    "12.76": ("3.6001", "98.4854"),    # Kota Binjai (was in the Natuna Sea)
    "16.11": ("-3.7500", "102.8700"),  # Empat Lawang, Tebing Tinggi
}
KEEP_LOWER = {"dan"}


def title(name: str) -> str:
    words = []
    for w in name.split():
        if w in KEEP_UPPER:
            words.append(w)
        elif w.lower() in KEEP_LOWER:
            words.append(w.lower())
        else:
            words.append("-".join(p.capitalize() for p in w.split("-")))
    return " ".join(words)


def main(src: str) -> None:
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["code", "level", "name", "province_code", "latitude", "longitude"])
    with open(f"{src}/provinces.csv", newline="") as f:
        for row in csv.DictReader(f):
            lat, lng = CORRECTIONS.get(row["code"], (row["latitude"], row["longitude"]))
            out.writerow([row["code"], "PROVINCE", title(row["name"]), row["code"], lat, lng])
    with open(f"{src}/regencies.csv", newline="") as f:
        for row in csv.DictReader(f):
            number = int(row["code"].split(".")[1])
            level = "CITY" if number >= 71 else "REGENCY"
            lat, lng = CORRECTIONS.get(row["code"], (row["latitude"], row["longitude"]))
            out.writerow([row["code"], level, title(row["name"]), row["province_code"], lat, lng])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
