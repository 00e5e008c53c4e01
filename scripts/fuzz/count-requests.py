"""Counts the HTTP requests schemathesis sent, from the NDJSON event stream of one run (--report ndjson):
every finished scenario carries a recorder whose `interactions` holds one entry per request."""
import json
import pathlib
import sys

count = 0
for path in pathlib.Path(sys.argv[1]).glob("*.ndjson"):
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        for body in json.loads(line).values():
            recorder = body.get("recorder") if isinstance(body, dict) else None
            interactions = recorder.get("interactions") if isinstance(recorder, dict) else None
            if isinstance(interactions, dict):
                count += len(interactions)
print(count)
