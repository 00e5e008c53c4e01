"""Counts the HTTP requests schemathesis sent, from the NDJSON event stream of one run (--report ndjson)."""
import json
import pathlib
import sys

count = 0
for path in pathlib.Path(sys.argv[1]).glob("*.ndjson"):
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        event = json.loads(line)
        for body in event.values():
            if isinstance(body, dict):
                recorder = body.get("recorder") or {}
                count += sum(len(calls) for calls in (recorder.get("interactions") or {}).values()) if isinstance(recorder.get("interactions"), dict) else 0
print(count)
