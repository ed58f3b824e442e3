#!/usr/bin/env python3
"""Requirement coverage: which Normative requirements of each spec a passing test checks.

Tests declare the REQ_IDs they check with OXWIRE_REQ(...)
(tests/support/oxwire_test/requirements.hpp), which records them in the GoogleTest XML report
(ctest writes one per case under build/test-results/). This script reads those reports and
specs/requirements/*.json and prints, per spec, how many Normative requirements of each scope
(Server, Client, Both; "unscoped" where a table gives none) at least one passing test covers.
A test that names a REQ_ID no table has is an error (exit 1).

  trace_requirements.py --specs specs --results build/test-results
  trace_requirements.py --specs specs --self-test
"""
import argparse
import json
import pathlib
import sys
import tempfile
import xml.etree.ElementTree as ET

SCOPES = ("Server", "Client", "Both", "unscoped")  # MS-ASWBXML's table gives no scope


def load_requirements(specs):
    reqs = {}
    for path in sorted(pathlib.Path(specs, "requirements").glob("*.json")):
        table = json.loads(path.read_text(encoding="utf-8"))
        for row in table["rows"]:
            reqs[row["id"]] = (path.stem, row["scope"], row["normative"])
    if not reqs:
        sys.exit(f"trace: no requirement tables under {specs}/requirements")
    return reqs


def claimed_ids(results):
    """REQ_ID -> (passed by some test, [tests naming it])."""
    claims = {}
    for path in sorted(pathlib.Path(results).rglob("*.xml")):
        for case in ET.parse(path).getroot().iter("testcase"):
            ids = case.get("requirements", "")
            for prop in case.iter("property"):
                if prop.get("name") == "requirements":
                    ids += " " + prop.get("value", "")
            passed = (case.get("result", "completed") == "completed" and case.get("status", "run") == "run"
                      and case.find("failure") is None and case.find("skipped") is None)
            name = f'{case.get("classname")}.{case.get("name")}'
            for rid in ids.split():
                ok, tests = claims.get(rid, (False, []))
                claims[rid] = (ok or passed, tests + [name])
    return claims


def coverage(reqs, claims):
    unknown = sorted(r for r in claims if r not in reqs)
    table = {}
    for rid, (spec, scope, normative) in reqs.items():
        if not normative:
            continue
        row = table.setdefault(spec, {s: [0, 0] for s in SCOPES})
        cell = row[scope or "unscoped"]
        cell[0] += 1
        if claims.get(rid, (False,))[0]:
            cell[1] += 1
    return table, unknown


def report(table, out=sys.stdout):
    print("Requirement coverage (Normative requirements covered by a passing test / total)", file=out)
    print(f'{"spec":<14}' + "".join(f"{s:>16}" for s in SCOPES), file=out)
    for spec in sorted(table):
        cells = "".join(f"{table[spec][s][1]:>8}/{table[spec][s][0]:<7}" for s in SCOPES)
        print(f"{spec:<14}{cells}", file=out)


def self_test(specs):
    reqs = load_requirements(specs)
    normative = [r for r, (spec, scope, n) in reqs.items() if n and spec == "MS-ASHTTP"]
    good, failing = normative[0], normative[1]
    xml = (f'<testsuites><testsuite name="s">'
           f'<testcase name="a" classname="s" status="run" result="completed" requirements="{good}"/>'
           f'<testcase name="b" classname="s" status="run" result="completed" requirements="{failing}">'
           f'<failure message="x"/></testcase></testsuite></testsuites>')
    with tempfile.TemporaryDirectory() as d:
        pathlib.Path(d, "r.xml").write_text(xml)
        table, unknown = coverage(reqs, claimed_ids(d))
        pathlib.Path(d, "r.xml").write_text(xml.replace(good, "MS-ASHTTP_R999999"))
        _, unknown2 = coverage(reqs, claimed_ids(d))
    covered = sum(c[1] for c in table["MS-ASHTTP"].values())
    assert covered == 1, f"expected 1 covered requirement, got {covered}"
    assert not unknown, unknown
    assert unknown2 == ["MS-ASHTTP_R999999"], unknown2
    print("trace self-test: 1 passing claim counted, 1 failing claim ignored, 1 unknown ID caught")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--specs", required=True)
    ap.add_argument("--results")
    ap.add_argument("--self-test", action="store_true")
    args = ap.parse_args()
    if args.self_test:
        self_test(args.specs)
        return
    if not args.results:
        ap.error("--results is required")
    table, unknown = coverage(load_requirements(args.specs), claimed_ids(args.results))
    report(table)
    if unknown:
        sys.exit("trace: tests name REQ_IDs that no table has: " + ", ".join(unknown))


if __name__ == "__main__":
    main()
