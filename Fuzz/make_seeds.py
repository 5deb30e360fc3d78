#!/usr/bin/env python3
"""Writes seed inputs for the fuzz targets into DIR/<target>/, from the project's fixtures."""
import glob, json, os, struct, sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")
out = sys.argv[1]

def write(target, name, data):
    os.makedirs(os.path.join(out, target), exist_ok=True)
    with open(os.path.join(out, target, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())

# Frames as the server sends them: a hello, and responses with bodies.
write("wire-format", "hello", struct.pack("<8I", 0x4F4C4856, 1, 1, 127, 7, 1234, 0, 0))
for outcome, body in enumerate([b"4\n", b"Traceback\nZeroDivisionError: division by zero\n", b"socket"]):
    header = struct.pack("<IIiIIIQQQ", 0x53455256, outcome, 0, len(body), 0, 0, 10**6, 10**6, 2**24)
    write("wire-format", f"response-{outcome}", header + body)

for path in glob.glob(os.path.join(root, "inputs", "*.jsonl")):
    for i, line in enumerate(open(path, "rb").read().split(b"\n")[:40]):
        write("jsonl-records", f"{os.path.basename(path)}-{i}", line)

for path in glob.glob(os.path.join(root, "graded", "*.jsonl")):
    for i, line in enumerate(open(path, encoding="utf-8")):
        try:
            case = json.loads(line)
        except ValueError:
            continue
        stem = f"{os.path.basename(path)}-{i}"
        write("latex", stem, case.get("result", ""))
        write("printed-output", stem, case.get("printed", "") + "\0" + case.get("result", ""))
