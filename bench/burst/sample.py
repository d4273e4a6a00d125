#!/usr/bin/python3
"""Samples GET /lemonade/stats once a second into a TSV until the stop file exists.

    /usr/bin/python3 bench/burst/sample.py BASE_URL OUT.tsv STOP_FILE
Columns: seconds since start, accepted, kitchen done, kitchen waiting, loyalty done, analytics done.
"""
import json
import os
import sys
import time
import urllib.request

base, out, stop = sys.argv[1:4]
began = time.monotonic()
with open(out, "w") as tsv:
    tsv.write("second\taccepted\tkitchen_done\twaiting\tloyalty_done\tanalytics_done\n")
    while not os.path.exists(stop):
        tick = time.monotonic()
        try:
            stats = json.load(urllib.request.urlopen(base + "/lemonade/stats", timeout=5))
            tsv.write("%.1f\t%d\t%d\t%d\t%d\t%d\n" % (tick - began, stats["accepted"], stats["kitchen"]["done"],
                                                      stats["kitchen"]["waiting"], stats["loyalty"]["done"],
                                                      stats["analytics"]["done"]))
            tsv.flush()
        except Exception as error:  # a missed sample is a gap in the plot, not a failed run
            print("sample failed: %s" % error, file=sys.stderr)
        time.sleep(max(0.0, 1.0 - (time.monotonic() - tick)))
