#!/usr/bin/env python3
"""Convert the spec source tables (specs-src) into the JSON tables under specs/.

Usage (from the repository root):
    python3 specs/import_specs.py --src ../shared/specs-src          # write specs/
    python3 specs/import_specs.py --src ../shared/specs-src --check  # compare only

Every table becomes specs/<area>/<name>.json with the envelope
{"table", "provenance", "columns", ["meta",] "rows"}, one row per line.
Validation problems are printed to stderr (file, line, row, reason) and the
script exits with status 1. Standard library only; output is deterministic.
See specs/README.md for the columns of each table and the decisions taken.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

sys.dont_write_bytecode = True  # no specs/__pycache__ from the module below
import xsd_schema  # noqa: E402  (specs/xsd_schema.py: the XSD flattener)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(HERE)
DEFAULT_SRC = os.path.join(REPO_ROOT, "..", "shared", "specs-src")

INTEROP = "OfficeDev/Interop-TestSuites (MIT) commit fe87ed3253de01804a2ae6e1d0015943da6023f8"
SWIFTMAPI = "hughbe/SwiftMAPI commit 2545cb7fbd68904ff5e8aaa833866249bcafcd68"
MSGREADER = "HiraokaHyperTools/msgreader (Apache-2.0) commit 8b72ca144d6d5be308c73196f15bc84b2eb15242"
MFCMAPI = "microsoft/mfcmapi (MIT) commit c004a219753437d02a525324438912b87469fca6"
OPENCHANGE = "openchange/openchange (GPL-3.0) commit 03bae8ff2905e064c7c755f4393e5d3f73208422"
GROMOX = "grommunio/gromox (AGPL-3.0) commit 1892eb3dc71aa45c0c8321a6627e503bb4ca9555"
LIBWBXML = "libwbxml commit ebeb80d"
ZPUSH = "Z-Push commit 2c11075"
GROMMUNIO_SYNC = "grommunio-sync commit cf4ebc6"
HORDE = "Horde ActiveSync commit e5ee432"

AS_VERSIONS = ["2.5", "12.0", "12.1", "14.0", "14.1", "16.0", "16.1"]

# --------------------------------------------------------------------------------------------
# Allow-lists and corrections. Each entry must match the source exactly; an entry that no
# longer matches is reported as an error so that it gets removed.
# --------------------------------------------------------------------------------------------

# properties.tsv: (tag id, type) pairs that MS-OXPROPS gives to more than one canonical name.
# All are in 0x6800..0x7BFF, the range MS-OXPROPS reserves for properties whose meaning is
# defined by the message class, so the same tag means different things on different objects.
# Checked for 0x6801 on the stored MS-OXPROPS page (2.1061 PidTagVoiceMessageDuration).
TAG_DUPLICATES_ALLOWED = {
    (0x6801, "PtypInteger32"): {"PidTagOfflineAddressBookSequence", "PidTagVoiceMessageDuration"},
    (0x6841, "PtypInteger32"): {"PidTagScheduleInfoResourceType", "PidTagSearchFolderTemplateId"},
    (0x6842, "PtypBinary"): {"PidTagSearchFolderId", "PidTagWlinkGroupHeaderID"},
    (0x6847, "PtypInteger32"): {"PidTagFreeBusyPublishStart", "PidTagSearchFolderTag",
                                "PidTagWlinkSaveStamp"},
    (0x6848, "PtypInteger32"): {"PidTagFreeBusyPublishEnd", "PidTagSearchFolderEfpFlags"},
}
TAG_DUPLICATES_REASON = ("message-class-defined range 0x6800..0x7BFF: MS-OXPROPS lists each "
                         "name with the same id and type")

# properties.tsv: (propset, string name) pairs with more than one canonical name.
# MS-OXPROPS has both 2.394 PidNameCalendarLocationUrl (area Common, defined in MS-XWDCAL) and
# PidNameLocationUrl (area Calendar, cited by MS-OXCICAL 2.1.3.4.3 as MS-OXPROPS 2.457).
NAME_DUPLICATES_ALLOWED = {
    ("PS_PUBLIC_STRINGS", "urn:schemas:calendar:locationurl"):
        {"PidNameCalendarLocationUrl", "PidNameLocationUrl"},
}
NAME_DUPLICATES_REASON = "MS-OXPROPS defines both canonical names for the same named property"

# properties-nonspec.tsv: mfcmapi gives two names to the same tag (PST and profile meanings,
# or two spellings).
NONSPEC_TAG_DUPLICATES_ALLOWED = {
    (0x10F3, "PtypString"): {"PidTagUrlCompName", "PidTagUrlComponentName"},
    (0x6635, "PtypInteger32"): {"PidTagProfileOabCountAttemptedFulldn", "PidTagPstHiddenCount"},
    (0x6636, "PtypInteger32"): {"PidTagProfileOabCountAttemptedIncrdn", "PidTagPstHiddenUnread"},
    (0x6701, "PtypBoolean"): {"PidTagPstRememberPassword", "PidTagWizardNoPabPage"},
}
NONSPEC_TAG_DUPLICATES_REASON = "mfcmapi lists both names for one tag"

# properties-nonspec.tsv: named properties that openchange lists under two canonical names.
NONSPEC_NAME_DUPLICATES_ALLOWED = {
    ("PS_INTERNET_HEADERS", "X-MS-Exchange-Organization-AuthDomain"):
        {"PidNameAuthenticatedDomain", "PidNameXMSExchangeOrganizationAuthdomain"},
}
NONSPEC_NAME_DUPLICATES_REASON = "openchange lists both names for the same header"

# properties-nonspec.tsv: property sets that are not in property-sets.tsv. The rows are kept
# with the set name as written; there is no GUID for them in specs/.
NONSPEC_UNKNOWN_PROPSETS = {
    "PSETID_Appointment2": "openchange-only set name (openchange gives it GUID "
                           "{02200600-0000-0000-C000-000000000046}, PSETID_Appointment with "
                           "Data1 byte-swapped); not an MS-OXPROPS set",
}

# rop-layouts.json: exact duplicate fields to drop, (ROP, buffer, field) -> reason.
LAYOUT_DUPLICATE_FIELDS = {
    ("RopWriteStreamExtended", "request", "RopId"):
        "RopId is listed twice with the same content; rop-layouts-STATUS.md says the RopId of "
        "this request was restored by hand, and it was added twice. MS-OXCROPS 2.2.9.4.1 has "
        "one RopId byte",
}

# error-codes.tsv: value -> (name in the source, corrected name, reason).
ERROR_NAME_CORRECTIONS = {
    0x80040FFF: ("ecNotSupported", "NotImplemented",
                 "the source names both 0x80040102 and 0x80040FFF ecNotSupported; gromox "
                 "mapierr.hpp (the source of the ec* names) calls 0x80040FFF NotImplemented, "
                 "which the row already lists as an alternate"),
}

# properties.tsv: alternates that the source (and the MS-OXPROPS page) prints twice with no
# separator, canonical name -> (alternate as printed, corrected alternate). A correction that no
# longer matches the source fails the import, so it goes away once the source is fixed.
ALTERNATE_CORRECTIONS = {
    "PidTagMessageClass": (
        "http://schemas.microsoft.com/exchange/outlookmessageclasshttp://schemas.microsoft.com/"
        "exchange/outlookmessageclass",
        "http://schemas.microsoft.com/exchange/outlookmessageclass"),
    "PidTagContainerClass": (
        "http://schemas.microsoft.com/exchange/outlookfolderclasshttp://schemas.microsoft.com/"
        "exchange/o utlookfolderclass",
        "http://schemas.microsoft.com/exchange/outlookfolderclass"),
    "PidTagBusinessHomePage": (
        "urn:schemas:contacts:businesshomepageurn:schemas:contacts:businesshomepage",
        "urn:schemas:contacts:businesshomepage"),
}


def correct_alternates(canonical, alternates):
    fix = ALTERNATE_CORRECTIONS.get(canonical)
    if fix is None:
        return alternates
    if fix[0] not in alternates:
        raise Fail(f"ALTERNATE_CORRECTIONS for {canonical} no longer matches the source")
    return [fix[1] if a == fix[0] else a for a in alternates]


# Requirement rows without a REQ_ID: (spec, Doc_Sect) -> expected count. They are skipped.
REQUIREMENTS_WITHOUT_ID = {
    ("MS-ASHTTP", "6"): 1,
}


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------

class Problems:
    def __init__(self):
        self.errors = []
        self.notes = []

    def error(self, file, line, row, reason):
        self.errors.append((file, line, row, reason))

    def note(self, text):
        self.notes.append(text)

    def report(self):
        for file, line, row, reason in self.errors:
            where = f"{file}:{line}" if line else file
            print(f"{where}: {reason}", file=sys.stderr)
            if row is not None:
                shown = row if isinstance(row, str) else json.dumps(row, ensure_ascii=False)
                if len(shown) > 400:
                    shown = shown[:400] + "..."
                print(f"    row: {shown}", file=sys.stderr)
        return not self.errors


P = Problems()


class Fail(Exception):
    """Raised by the cell parsers; caught per row and turned into a Problems entry."""


# --------------------------------------------------------------------------------------------
# Cell parsers
# --------------------------------------------------------------------------------------------

HEX_RE = re.compile(r"^0x[0-9A-Fa-f]+$")
DEC_RE = re.compile(r"^[0-9]+$")


def to_int(text, col):
    t = text.strip()
    if HEX_RE.match(t):
        return int(t, 16)
    if DEC_RE.match(t):
        return int(t, 10)
    raise Fail(f"column {col}: {text!r} is not a number")


def opt_int(text, col):
    return None if text.strip() == "" else to_int(text, col)


def opt_str(text):
    t = text.strip()
    return t if t else None


def req_str(text, col):
    t = text.strip()
    if not t:
        raise Fail(f"column {col}: required value is empty")
    return t


def str_list(text, sep=","):
    return [p.strip() for p in text.split(sep) if p.strip()]


def to_bool(text, col):
    t = text.strip().lower()
    if t in ("yes", "1", "true"):
        return True
    if t in ("no", "0", "false"):
        return False
    raise Fail(f"column {col}: {text!r} is not a yes/no or 0/1 flag")


def versions_list(text, col):
    vs = str_list(text)
    for v in vs:
        if v not in AS_VERSIONS:
            raise Fail(f"column {col}: unknown ActiveSync protocol version {v!r}")
    return vs


# --------------------------------------------------------------------------------------------
# Source access
# --------------------------------------------------------------------------------------------

class Source:
    def __init__(self, root):
        self.root = os.path.abspath(root)
        self._sha = {}

    def path(self, rel):
        return os.path.join(self.root, rel)

    def label(self, rel):
        return "specs-src/" + rel

    def read_bytes(self, rel):
        with open(self.path(rel), "rb") as f:
            data = f.read()
        self._sha[rel] = hashlib.sha256(data).hexdigest()
        return data

    def sha(self, rel):
        if rel not in self._sha:
            self.read_bytes(rel)
        return self._sha[rel]

    def read_tsv(self, rel, expected_header):
        """Returns [(line_no, raw_line, {col: cell})]; checks header and cell counts."""
        text = self.read_bytes(rel).decode("utf-8")
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        label = self.label(rel)
        header = lines[0].rstrip("\r").split("\t") if lines else []
        if header != expected_header:
            P.error(label, 1, lines[0] if lines else "",
                    f"header is {header}, expected {expected_header}")
            return []
        out = []
        for i, raw in enumerate(lines[1:], start=2):
            raw = raw.rstrip("\r")
            if raw.strip() == "":
                continue
            cells = raw.split("\t")
            if len(cells) != len(header):
                P.error(label, i, raw, f"{len(cells)} cells, expected {len(header)}")
                continue
            out.append((i, raw, dict(zip(header, cells))))
        return out

    def listdir(self, rel, suffix):
        return sorted(n for n in os.listdir(self.path(rel)) if n.endswith(suffix))


def provenance(src, spec, sections, files, upstream, notes):
    return {
        "spec": spec,
        "sections": sections,
        "derived_from": [src.label(f) for f in files],
        "source_sha256": {os.path.basename(f): src.sha(f) for f in files},
        "upstream": upstream,
        "notes": notes,
    }


class Table:
    def __init__(self, area, name, prov, columns, rows, meta=None):
        self.area = area
        self.name = name
        self.prov = prov
        self.columns = columns
        self.rows = rows
        self.meta = meta

    @property
    def relpath(self):
        return f"{self.area}/{self.name}.json"

    def render(self):
        def c(v):
            return json.dumps(v, ensure_ascii=False, separators=(",", ":"))

        out = ["{",
               f' "table": {c(self.area + "/" + self.name)},',
               f' "provenance": {c(self.prov)},',
               f' "columns": {c(self.columns)},']
        if self.meta is not None:
            out.append(f' "meta": {c(self.meta)},')
        out.append(' "rows": [')
        out.append(",\n".join(c(r) for r in self.rows))
        out.append(" ]")
        out.append("}")
        return ("\n".join(out) + "\n").encode("utf-8")


def check_columns(table, label):
    """Every row has exactly the documented columns, in order."""
    keys = list(table.columns)
    for i, r in enumerate(table.rows):
        if list(r) != keys:
            P.error(label, None, r, f"row {i + 1} keys {list(r)} differ from columns {keys}")
            return


def unique(rows, key_fn, label, what, allowed=None, reason=""):
    """rows: [(line, raw, value)]. Reports duplicates of key_fn(value) not in `allowed`
    (dict key -> set of row names, checked exactly). Returns allowed groups seen."""
    groups = {}
    for line, raw, v in rows:
        k = key_fn(v)
        if k is None:
            continue
        groups.setdefault(k, []).append((line, raw, v))
    seen_allowed = {}
    for k, items in groups.items():
        if len(items) < 2:
            continue
        if allowed is not None and k in allowed:
            names = {it[2].get("canonical") for it in items}
            if names == allowed[k]:
                seen_allowed[k] = sorted(names)
                continue
        for line, raw, _ in items[1:]:
            P.error(label, line, raw, f"duplicate {what} {k!r} (first at line {items[0][0]})")
    if allowed is not None:
        for k in allowed:
            if k not in seen_allowed:
                P.error(label, None, None,
                        f"allow-list entry {k!r} for duplicate {what} no longer matches the source")
        for k, names in seen_allowed.items():
            P.note(f"{label}: allowed duplicate {what} {fmt_key(k)}: {', '.join(names)} ({reason})")
    return seen_allowed


def fmt_key(k):
    if isinstance(k, tuple):
        return "(" + ", ".join(f"0x{x:04X}" if isinstance(x, int) else str(x) for x in k) + ")"
    return str(k)


# --------------------------------------------------------------------------------------------
# MAPI tables
# --------------------------------------------------------------------------------------------

def build_property_types(src):
    rel = "mapi/property-types.tsv"
    label = src.label(rel)
    header = ["name", "code", "fixed_size", "multivalued", "base_type", "count_bytes_rop",
              "count_bytes_ext_rules_mapihttp", "alternate_names", "encoding"]
    rows, parsed = [], []
    for line, raw, c in src.read_tsv(rel, header):
        try:
            alts = str_list(c["alternate_names"])
            # The encoding cell of PtypObject says it is also named PtypEmbeddedTable
            # (MS-OXCDATA 2.11.1); that name is used by properties.tsv, so keep it as a fact.
            m = re.search(r"also named (Ptyp\w+)", c["encoding"])
            if m and m.group(1) not in alts:
                alts.append(m.group(1))
            fs = c["fixed_size"].strip()
            r = {
                "name": req_str(c["name"], "name"),
                "code": to_int(req_str(c["code"], "code"), "code"),
                "fixed_size": None if fs in ("", "var") else to_int(fs, "fixed_size"),
                "variable_size": fs == "var",
                "multivalued": to_bool(c["multivalued"], "multivalued"),
                "base_type": opt_str(c["base_type"]),
                "count_bytes_rop": opt_int(c["count_bytes_rop"], "count_bytes_rop"),
                "count_bytes_ext_rules_mapihttp": opt_int(c["count_bytes_ext_rules_mapihttp"],
                                                          "count_bytes_ext_rules_mapihttp"),
                "alternate_names": alts,
            }
            if r["code"] > 0xFFFF:
                raise Fail(f"type code 0x{r['code']:X} does not fit 16 bits")
            if r["multivalued"] != bool(r["code"] & 0x1000):
                raise Fail("multivalued flag disagrees with bit 0x1000 of the code")
            if r["multivalued"] and not r["base_type"]:
                raise Fail("multi-valued type without base_type")
        except Fail as e:
            P.error(label, line, raw, str(e))
            continue
        rows.append(r)
        parsed.append((line, raw, r))
    unique(parsed, lambda r: r["name"], label, "type name")
    unique(parsed, lambda r: r["code"], label, "type code")
    by_name = {r["name"]: r for r in rows}
    unique([(l, raw, {"canonical": a}) for l, raw, r in parsed for a in r["alternate_names"]
            + [r["name"]]], lambda r: r["canonical"], label, "type name or alternate name")
    for line, raw, r in parsed:
        if r["base_type"]:
            b = by_name.get(r["base_type"])
            if b is None:
                P.error(label, line, raw, f"unknown base_type {r['base_type']}")
            elif b["code"] != r["code"] & ~0x1000:
                P.error(label, line, raw, "base_type code is not code & ~0x1000")
    columns = {
        "name": "string: canonical type name (PtypXxx)",
        "code": "uint: 16-bit property type code",
        "fixed_size": "uint|null: bytes of one value; null for variable-size types and PtypUnspecified",
        "variable_size": "bool: the value has a variable size (COUNT-prefixed or terminated)",
        "multivalued": "bool: multi-valued type (bit 0x1000 set)",
        "base_type": "string|null: element type of a multi-valued type",
        "count_bytes_rop": "uint|null: width of the COUNT field in ROP buffers",
        "count_bytes_ext_rules_mapihttp": "uint|null: width of the COUNT field in extended rules and MAPI/HTTP",
        "alternate_names": "array of string: PT_* names, XML/COM names and other spellings",
    }
    prov = provenance(
        src, "MS-OXCDATA", "2.11.1, 2.11.1.1", [rel],
        "learn.microsoft.com MS-OXCDATA 2.11.1 and 2.11.1.1 (stored pages); PT_* names as in "
        f"{MFCMAPI} and {OPENCHANGE}",
        "The encoding descriptions are not carried; the COUNT widths follow MS-OXCDATA 2.11.1.1, "
        "which disagrees with the 16-bit multivalue count stated in 2.11.2.1.")
    return Table("mapi", "property-types", prov, columns, rows)


GUID_RE = re.compile(r"^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$")


def build_property_sets(src):
    rel = "mapi/property-sets.tsv"
    label = src.label(rel)
    header = ["name", "guid", "oxprops_area", "named_props_in_properties_tsv", "sources"]
    rows, parsed = [], []
    for line, raw, c in src.read_tsv(rel, header):
        try:
            r = {
                "name": req_str(c["name"], "name"),
                "guid": req_str(c["guid"], "guid"),
                "oxprops_area": opt_str(c["oxprops_area"]),
                "named_property_count": to_int(req_str(c["named_props_in_properties_tsv"],
                                                       "named_props_in_properties_tsv"),
                                               "named_props_in_properties_tsv"),
                "sources": str_list(c["sources"], ";"),
            }
            if not GUID_RE.match(r["guid"]):
                raise Fail(f"guid {r['guid']!r} is not in {{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}} form")
            if not r["sources"]:
                raise Fail("sources is empty")
        except Fail as e:
            P.error(label, line, raw, str(e))
            continue
        rows.append(r)
        parsed.append((line, raw, r))
    unique(parsed, lambda r: r["name"], label, "property set name")
    unique(parsed, lambda r: r["guid"], label, "property set GUID")
    columns = {
        "name": "string: property set name (PS_* / PSETID_*)",
        "guid": "string: GUID in registry form {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}",
        "oxprops_area": "string|null: area the MS-OXPROPS 1.3.2 table gives the set",
        "named_property_count": "uint: rows of properties.json (kind lid or name) in this set; checked",
        "sources": "array of string: where the GUID was read",
    }
    prov = provenance(
        src, "MS-OXPROPS", "1.3.2", [rel],
        f"learn.microsoft.com MS-OXPROPS 1.3.2 and property pages (stored); {MFCMAPI} "
        f"core/interpret/guid.h; {OPENCHANGE} libmapi/mapidefs.h",
        "PSETID_Report and PSETID_Remote are not in the MS-OXPROPS table; their GUIDs come from "
        "mfcmapi and openchange.")
    return Table("mapi", "property-sets", prov, columns, rows)


def type_resolver(types):
    """Maps any known name or code string of a property type to its table row."""
    m = {}
    for t in types.rows:
        m[t["name"]] = t
        for a in t["alternate_names"]:
            m.setdefault(a, t)
        m[f"0x{t['code']:04X}"] = t
    return m


def prop_row_common(c, types_by, label, kind_col="kind"):
    kind = req_str(c[kind_col], "kind")
    if kind not in ("tag", "lid", "name"):
        raise Fail(f"kind {kind!r} is not tag, lid or name")
    pid = opt_int(c["id"], "id")
    name = opt_str(c["name"])
    propset = opt_str(c["propset"])
    if kind == "tag":
        if pid is None or pid > 0xFFFF:
            raise Fail("a tag needs a 16-bit id")
        if name or propset:
            raise Fail("a tag has no name or propset")
    elif kind == "lid":
        if pid is None or pid > 0xFFFFFFFF:
            raise Fail("a lid needs a 32-bit id")
        if not propset or name:
            raise Fail("a lid needs a propset and no name")
    else:
        if pid is not None:
            raise Fail("a named property has no id")
        if not propset or not name:
            raise Fail("a named property needs a propset and a name")
    return kind, pid, name, propset


def build_properties(src, types, sets):
    rel = "mapi/properties.tsv"
    label = src.label(rel)
    header = ["canonical", "kind", "id", "name", "propset", "type", "type_code", "area",
              "alternates", "defining_ref", "status", "sources"]
    types_by = type_resolver(types)
    set_names = {s["name"] for s in sets.rows}
    rows, parsed = [], []
    for line, raw, c in src.read_tsv(rel, header):
        try:
            canonical = req_str(c["canonical"], "canonical")
            kind, pid, name, propset = prop_row_common(c, types_by, label)
            tnames = req_str(c["type"], "type").split("|")
            tcodes = req_str(c["type_code"], "type_code").split("|")
            if len(tnames) != len(tcodes):
                raise Fail("type and type_code list different numbers of types")
            resolved = []
            for tn, tc in zip(tnames, tcodes):
                t = types_by.get(tn.strip())
                if t is None or not tn.startswith("Ptyp"):
                    raise Fail(f"unknown property type {tn!r}")
                if to_int(tc, "type_code") != t["code"]:
                    raise Fail(f"type_code {tc} does not match {tn} (0x{t['code']:04X})")
                resolved.append(t)
            if propset is not None and propset not in set_names:
                raise Fail(f"unknown property set {propset!r}")
            status = req_str(c["status"], "status")
            if status not in ("current", "older-revision"):
                raise Fail(f"status {status!r} is not current or older-revision")
            r = {
                "canonical": canonical,
                "kind": kind,
                "id": pid,
                "name": name,
                "propset": propset,
                "type": resolved[0]["name"],
                "type_code": resolved[0]["code"],
                "other_types": [t["name"] for t in resolved[1:]],
                "area": req_str(c["area"], "area"),
                "alternates": correct_alternates(canonical, str_list(c["alternates"])),
                "defining_ref": opt_str(c["defining_ref"]),
                "status": status,
                "sources": str_list(c["sources"]),
            }
            if not r["sources"]:
                raise Fail("sources is empty")
            prefix = {"tag": "PidTag", "lid": "PidLid", "name": "PidName"}[kind]
            if not canonical.startswith(prefix):
                raise Fail(f"canonical name of a {kind} should start with {prefix}")
        except Fail as e:
            P.error(label, line, raw, str(e))
            continue
        rows.append(r)
        parsed.append((line, raw, r))
    unique(parsed, lambda r: r["canonical"], label, "canonical name")
    unique(parsed, lambda r: (r["kind"], r["id"], r["propset"]) if r["kind"] == "lid" else None,
           label, "(kind, LID, propset)")
    unique(parsed, lambda r: (r["propset"], r["name"]) if r["kind"] == "name" else None,
           label, "(propset, name)", NAME_DUPLICATES_ALLOWED, NAME_DUPLICATES_REASON)
    tag_rows = []
    for line, raw, r in parsed:
        if r["kind"] == "tag":
            for t in [r["type"]] + r["other_types"]:
                tag_rows.append((line, raw, dict(r, _t=t)))
    unique(tag_rows, lambda r: (r["id"], r["_t"]), label, "tag (id, type)",
           TAG_DUPLICATES_ALLOWED, TAG_DUPLICATES_REASON)
    shared = {}
    for r in rows:
        if r["kind"] == "tag":
            shared.setdefault(r["id"], set()).add(r["canonical"])
    n_shared = sum(1 for v in shared.values() if len(v) > 1)
    P.note(f"{label}: {n_shared} tag ids carry more than one canonical name (distinct types "
           f"except the allow-listed ones); decoders key on the full tag")
    # property-sets.tsv counts named rows per set: check them.
    counts = {}
    for r in rows:
        if r["kind"] in ("lid", "name"):
            counts[r["propset"]] = counts.get(r["propset"], 0) + 1
    for s in sets.rows:
        if counts.get(s["name"], 0) != s["named_property_count"]:
            P.error(src.label("mapi/property-sets.tsv"), None, s,
                    f"named_property_count {s['named_property_count']} but properties.tsv has "
                    f"{counts.get(s['name'], 0)} rows in {s['name']}")
    columns = {
        "canonical": "string: MS-OXPROPS canonical name (PidTag*, PidLid*, PidName*)",
        "kind": "string: tag | lid | name",
        "id": "uint|null: property id (tag, 16 bits) or LID (lid, 32 bits); null for kind name",
        "name": "string|null: string name of a kind-name property",
        "propset": "string|null: property set name (see property-sets.json) for lid and name",
        "type": "string: canonical type name (see property-types.json)",
        "type_code": "uint: code of type",
        "other_types": "array of string: further types MS-OXPROPS lists for the property (3 rows), else []",
        "area": "string: MS-OXPROPS area, spelled as in the source",
        "alternates": "array of string: alternate names (PR_*, ptag*, dispid*, URNs)",
        "defining_ref": "string|null: defining reference, e.g. \"MS-OXCMSG section 2.2.1.36\"",
        "status": "string: current | older-revision (only in the older MS-OXPROPS format)",
        "sources": "array of string: sources that list the entry",
    }
    prov = provenance(
        src, "MS-OXPROPS", "2 (all PidTag, PidLid and PidName entries)",
        [rel, "mapi/property-types.tsv", "mapi/property-sets.tsv"],
        f"{SWIFTMAPI} (primary); {MSGREADER}; {MFCMAPI}; {OPENCHANGE}; stored "
        "learn.microsoft.com MS-OXPROPS pages (spot checks)",
        "Multi-typed rows (type cell \"A|B\") are split into type plus other_types; "
        "PtypEmbeddedTable is written as PtypObject. Tag ids are not unique: key on (id, type).")
    return Table("mapi", "properties", prov, columns, rows)


def build_properties_nonspec(src, types, sets, props):
    rel = "mapi/properties-nonspec.tsv"
    label = src.label(rel)
    header = ["canonical", "kind", "id", "name", "propset", "type", "alternates", "source"]
    types_by = type_resolver(types)
    set_names = {s["name"] for s in sets.rows}
    spec_names = {r["canonical"] for r in props.rows}
    rows, parsed = [], []
    for line, raw, c in src.read_tsv(rel, header):
        try:
            canonical = req_str(c["canonical"], "canonical")
            kind, pid, name, propset = prop_row_common(c, types_by, label)
            alias = req_str(c["type"], "type")
            t = types_by.get(alias) or types_by.get(alias.upper().replace("0X", "0x"))
            if t is None:
                raise Fail(f"unknown property type {alias!r}")
            if propset is not None and propset not in set_names:
                if propset not in NONSPEC_UNKNOWN_PROPSETS:
                    raise Fail(f"unknown property set {propset!r}")
                P.note(f"{label}:{line}: {canonical} uses property set {propset}, kept although "
                       f"unknown: {NONSPEC_UNKNOWN_PROPSETS[propset]}")
            if canonical in spec_names:
                raise Fail("canonical name is also an MS-OXPROPS entry (properties.tsv)")
            r = {
                "canonical": canonical,
                "kind": kind,
                "id": pid,
                "name": name,
                "propset": propset,
                "type": t["name"],
                "type_code": t["code"],
                "type_alias": alias,
                "alternates": str_list(c["alternates"]),
                "sources": str_list(c["source"]),
                "nonspec": True,
            }
            if not r["sources"]:
                raise Fail("source is empty")
        except Fail as e:
            P.error(label, line, raw, str(e))
            continue
        rows.append(r)
        parsed.append((line, raw, r))
    unique(parsed, lambda r: r["canonical"], label, "canonical name")
    unique(parsed, lambda r: (r["kind"], r["id"], r["propset"]) if r["kind"] == "lid" else None,
           label, "(kind, LID, propset)")
    unique(parsed, lambda r: (r["propset"], r["name"]) if r["kind"] == "name" else None,
           label, "(propset, name)", NONSPEC_NAME_DUPLICATES_ALLOWED,
           NONSPEC_NAME_DUPLICATES_REASON)
    unique(parsed, lambda r: (r["id"], r["type"]) if r["kind"] == "tag" else None, label,
           "tag (id, type)", NONSPEC_TAG_DUPLICATES_ALLOWED, NONSPEC_TAG_DUPLICATES_REASON)
    # Overlap with the spec table on the wire key (same tag, same LID, same name).
    spec_keys = {}
    for r in props.rows:
        if r["kind"] == "tag":
            for t in [r["type"]] + r["other_types"]:
                spec_keys[("tag", r["id"], t)] = r["canonical"]
        elif r["kind"] == "lid":
            spec_keys[("lid", r["id"], r["propset"])] = r["canonical"]
        else:
            spec_keys[("name", r["name"], r["propset"])] = r["canonical"]
    overlaps = []
    for r in rows:
        k = (("tag", r["id"], r["type"]) if r["kind"] == "tag" else
             ("lid", r["id"], r["propset"]) if r["kind"] == "lid" else
             ("name", r["name"], r["propset"]))
        if k in spec_keys:
            overlaps.append(f"{r['canonical']}={spec_keys[k]}")
    if overlaps:
        P.note(f"{label}: {len(overlaps)} rows name a wire key that properties.tsv also names "
               f"(other names for spec properties): {', '.join(overlaps)}")
    n_ptnull = sum(1 for r in rows if r["type_alias"] == "PT_NULL")
    P.note(f"{label}: {n_ptnull} rows have type PT_NULL (openchange named properties without a "
           f"stated type); written as PtypNull")
    columns = {
        "canonical": "string: name mfcmapi/openchange give the property (not an MS-OXPROPS entry)",
        "kind": "string: tag | lid | name",
        "id": "uint|null: property id (tag) or LID (lid); null for kind name",
        "name": "string|null: string name of a kind-name property",
        "propset": "string|null: property set name (see property-sets.json)",
        "type": "string: canonical Ptyp type name, mapped from type_alias",
        "type_code": "uint: code of type",
        "type_alias": "string: type as written in the source (PT_* name or hex code)",
        "alternates": "array of string: other names (PR_*, dispid*, OOM names)",
        "sources": "array of string: mfcmapi or openchange",
        "nonspec": "bool: always true; the row is not part of MS-OXPROPS",
    }
    prov = provenance(
        src, "none (names outside MS-OXPROPS)", "n/a", [rel, "mapi/property-types.tsv",
                                                          "mapi/property-sets.tsv"],
        f"{MFCMAPI} core/interpret/genTagArray.h, nameIDArray.h; {OPENCHANGE} "
        "libmapi/conf/mapi-named-properties",
        "For naming properties in dumps only, not part of the spec model. PT_NULL in the "
        "openchange named-property list means no type was stated.")
    return Table("mapi", "properties-nonspec", prov, columns, rows)


def build_error_codes(src):
    rel = "mapi/error-codes.tsv"
    label = src.label(rel)
    header = ["value", "name", "spec_name", "spec_table", "meaning", "alternates", "sources"]
    rows, parsed = [], []
    used_fixes = set()
    for line, raw, c in src.read_tsv(rel, header):
        try:
            value = to_int(req_str(c["value"], "value"), "value")
            if value > 0xFFFFFFFF:
                raise Fail("value does not fit 32 bits")
            name = req_str(c["name"], "name")
            alternates = str_list(c["alternates"])
            fix = ERROR_NAME_CORRECTIONS.get(value)
            if fix and name == fix[0]:
                used_fixes.add(value)
                P.note(f"{label}:{line}: name of 0x{value:08X} corrected {fix[0]} -> {fix[1]}: "
                       f"{fix[2]}")
                name = fix[1]
                alternates = [a for a in alternates if a != name]
            spec_name = opt_str(c["spec_name"])
            spec_table = opt_str(c["spec_table"])
            if spec_table is not None and spec_name is None:
                raise Fail("spec_table without spec_name")
            r = {
                "value": value,
                "name": name,
                "spec_name": spec_name,
                "spec_table": spec_table,
                "alternates": alternates,
                "sources": str_list(c["sources"]),
            }
            if not r["sources"]:
                raise Fail("sources is empty")
        except Fail as e:
            P.error(label, line, raw, str(e))
            continue
        rows.append(r)
        parsed.append((line, raw, r))
    for v in ERROR_NAME_CORRECTIONS:
        if v not in used_fixes:
            P.error(label, None, None, f"correction for 0x{v:08X} no longer matches the source")
    unique(parsed, lambda r: r["name"], label, "error name")
    unique(parsed, lambda r: r["value"], label, "error value")
    unique(parsed, lambda r: r["spec_name"], label, "spec name")
    columns = {
        "value": "uint: 32-bit error or warning value",
        "name": "string: ec* (Exchange) or MAPI_E_*/SYNC_E_*/STG_E_* name",
        "spec_name": "string|null: name in the MS-OXCDATA 2.4 tables, where verified (17 rows)",
        "spec_table": "string|null: section of that table (MS-OXCDATA 2.4.1 or 2.4.2); null when the name comes from requirement text",
        "alternates": "array of string: other names for the value",
        "sources": "array of string: gromox, openchange, spec-page, ...",
    }
    prov = provenance(
        src, "MS-OXCDATA", "2.4.1, 2.4.2", [rel],
        f"{GROMOX} include/gromox/mapierr.hpp; {OPENCHANGE} libmapi/conf/mapi-codes; "
        "learn.microsoft.com MS-OXCDATA 2.4.1, 2.4.2 (stored pages)",
        "Meanings are not carried. Only 17 rows carry a verified MS-OXCDATA name; treat the "
        "other names as aliases. The name of 0x80040FFF is corrected (see README).")
    return Table("mapi", "error-codes", prov, columns, rows)


def build_rops(src):
    rel = "mapi/rops.tsv"
    label = src.label(rel)
    header = ["ropid", "name", "spec_section", "in_current_spec", "notes"]
    rows, parsed = [], []
    for line, raw, c in src.read_tsv(rel, header):
        try:
            notes = c["notes"]
            m = re.search(r"response variants: ([a-z_,]+)", notes)
            m2 = re.search(r"Response RopId is (0x[0-9A-Fa-f]{2})", notes)
            r = {
                "ropid": to_int(req_str(c["ropid"], "ropid"), "ropid"),
                "name": req_str(c["name"], "name"),
                "spec_section": opt_str(c["spec_section"]),
                "in_current_spec": to_bool(c["in_current_spec"], "in_current_spec"),
                "has_request": not re.search(r"\bno request\b", notes),
                "has_response": not re.search(r"\bno response\b", notes),
                "response_variants": str_list(m.group(1)) if m else [],
                "response_ropid": int(m2.group(1), 16) if m2 else None,
            }
            if r["ropid"] > 0xFF:
                raise Fail("ropid does not fit 8 bits")
            if not r["name"].startswith("Rop"):
                raise Fail("ROP name should start with Rop")
            if r["in_current_spec"] and not r["spec_section"]:
                raise Fail("a ROP of the current spec needs spec_section")
        except Fail as e:
            P.error(label, line, raw, str(e))
            continue
        rows.append(r)
        parsed.append((line, raw, r))
    unique(parsed, lambda r: r["ropid"], label, "ropid")
    unique(parsed, lambda r: r["name"], label, "ROP name")
    columns = {
        "ropid": "uint: RopId (1 byte)",
        "name": "string: ROP name, e.g. RopLogon",
        "spec_section": "string|null: MS-OXCROPS section; null for ids only openchange knows",
        "in_current_spec": "bool: false for the 4 ids that only openchange's exchange.idl defines",
        "has_request": "bool: false for server-originated ROPs (RopNotify, RopPending, RopBackoff, RopBufferTooSmall)",
        "has_response": "bool: false for RopRelease",
        "response_variants": "array of string: response layouts named in rop-layouts.json when the source lists them, else []",
        "response_ropid": "uint|null: RopId carried by the response when it differs from ropid (RopGetMessageStatus: 0x20)",
    }
    prov = provenance(
        src, "MS-OXCROPS", "2.2 (RopId table and per-ROP sections)", [rel],
        f"{INTEROP} ExchangeMAPI/Source/MS-OXCROPS/TestSuite/MS-OXCROPS_RequirementSpecification.xml; "
        f"{OPENCHANGE} exchange.idl (ids not in the current spec)",
        "Facts in the notes cell are split into has_request, has_response, response_variants "
        "and response_ropid; the rest of the notes is not carried.")
    return Table("mapi", "rops", prov, columns, rows)


ARRAY_N_RE = re.compile(r"^(.+)\[(\d+)\]$")


def build_rop_layouts(src, rops):
    rel = "mapi/rop-layouts.json"
    label = src.label(rel)
    text = src.read_bytes(rel).decode("utf-8")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        P.error(label, e.lineno, None, f"not valid JSON: {e.msg}")
        return None
    lines = text.split("\n")

    def line_of(name):
        needle = f'"name": "{name}"'
        for i, ln in enumerate(lines, start=1):
            if needle in ln:
                return i
        return None

    types = doc.get("types", {})

    def type_known(t):
        if t in types:
            return True
        if t.endswith("[]"):
            return type_known(t[:-2])
        m = ARRAY_N_RE.match(t)
        if m:
            return (m.group(1) == "bytes" and "bytes[N]" in types) or type_known(m.group(1))
        if "|" in t:
            return all(type_known(x) for x in t.split("|"))
        return False

    by_id = {r["ropid"]: r for r in rops.rows}
    used_layout_fixes = set()
    rows = []
    seen_names, seen_ids = {}, {}
    for rop in doc.get("rops", []):
        name = rop.get("name")
        ln = line_of(name) if name else None
        try:
            rid = to_int(str(rop.get("ropid", "")), "ropid")
        except Fail as e:
            P.error(label, ln, name, str(e))
            continue
        row = {k: (rid if k == "ropid" else v) for k, v in rop.items()}
        for (rname, bname, fname), why in LAYOUT_DUPLICATE_FIELDS.items():
            if rname != name or bname != "request" or not row.get("request"):
                continue
            fields = row["request"]["fields"]
            dup = [i for i, f in enumerate(fields) if f.get("name") == fname]
            if len(dup) == 2 and fields[dup[0]] == fields[dup[1]]:
                row["request"] = dict(row["request"],
                                      fields=fields[:dup[1]] + fields[dup[1] + 1:])
                used_layout_fixes.add((rname, bname, fname))
                P.note(f"{label}:{ln}: {name} {bname}: dropped the second {fname} field: {why}")
        rop = row
        rows.append(row)
        if name in seen_names:
            P.error(label, ln, name, f"duplicate ROP name (first at line {seen_names[name]})")
        seen_names.setdefault(name, ln)
        if rid in seen_ids:
            P.error(label, ln, name, f"duplicate ropid 0x{rid:02X}")
        seen_ids.setdefault(rid, ln)
        t = by_id.get(rid)
        if t is None:
            P.error(label, ln, name, f"ropid 0x{rid:02X} is not in rops.tsv")
        elif t["name"] != name:
            P.error(label, ln, name, f"ropid 0x{rid:02X} is {t['name']} in rops.tsv")
        else:
            variants = [v.get("variant") for v in rop.get("responses", [])]
            if t["response_variants"] and t["response_variants"] != variants:
                P.error(label, ln, name, f"response variants {variants} differ from rops.tsv "
                                         f"{t['response_variants']}")
            if t["has_request"] != (rop.get("request") is not None):
                P.error(label, ln, name, "presence of a request disagrees with rops.tsv")
            if t["has_response"] != bool(rop.get("responses")):
                P.error(label, ln, name, "presence of a response disagrees with rops.tsv")
        bufs = ([("request", rop["request"])] if rop.get("request") else []) + \
               [(f"response {v.get('variant')}", v) for v in rop.get("responses", [])]
        for bname, buf in bufs:
            fnames = set()
            for f in buf.get("fields", []):
                ftype = f.get("type")
                if not f.get("name") or not ftype:
                    P.error(label, ln, f, f"{name} {bname}: field without name or type")
                    continue
                if not type_known(ftype):
                    P.error(label, ln, f, f"{name} {bname}: wire type {ftype!r} is not in types")
                if f["name"] in fnames:
                    P.error(label, ln, f, f"{name} {bname}: duplicate field {f['name']}")
                fnames.add(f["name"])
                if "bytes" in f and not isinstance(f["bytes"], int):
                    P.error(label, ln, f, f"{name} {bname}: bytes is not an integer")
    for k in LAYOUT_DUPLICATE_FIELDS:
        if k not in used_layout_fixes:
            P.error(label, None, None, f"layout correction {k} no longer matches the source")
    current = {r["ropid"] for r in rops.rows if r["in_current_spec"]}
    missing = sorted(current - set(seen_ids))
    if missing:
        P.error(label, None, None, "ROPs of the current spec without a layout: " +
                ", ".join(f"0x{x:02X}" for x in missing))
    meta = {"types": doc.get("types"), "framing": doc.get("framing"),
            "conventions": doc.get("conventions")}
    columns = {
        "name": "string: ROP name",
        "ropid": "uint: RopId",
        "section": "string: MS-OXCROPS section of the ROP",
        "request": "object|null: {section, fields}; null for server-originated ROPs",
        "responses": "array of object: {section, variant, fields, when}; [] for RopRelease. "
                     "Each field: name, type (wire type, see meta.types), and as needed bytes, "
                     "value, count, size, present_if, columns, utf16_if, note (kept as in the source)",
        "notes": "array of string: short notes on the ROP (kept as in the source)",
        "provenance": "array of string: where the layout was read",
        "status": "string: complete",
    }
    prov = provenance(
        src, "MS-OXCROPS", "2.2.x.y.1 (requests), 2.2.x.y.2 (responses), 2.2.1 (framing)", [rel],
        "; ".join(doc.get("sources", [])),
        "Re-wrapped without changes except ropid, which is an integer here; types, framing and "
        "conventions are under meta.")
    return Table("mapi", "rop-layouts", prov, columns, rows, meta)


def build_rpc_header_ext(src):
    rel = "mapi/rpc-header-ext.tsv"
    label = src.label(rel)
    header = ["kind", "name", "offset", "size_bytes", "value", "meaning", "spec_ref"]
    rows, parsed = [], []
    for line, raw, c in src.read_tsv(rel, header):
        try:
            r = {
                "kind": req_str(c["kind"], "kind"),
                "name": req_str(c["name"], "name"),
                "offset": opt_int(c["offset"], "offset"),
                "size_bytes": opt_int(c["size_bytes"], "size_bytes"),
                "value": opt_int(c["value"], "value"),
                "spec_ref": req_str(c["spec_ref"], "spec_ref"),
            }
            if r["kind"] not in ("field", "flag", "limit"):
                raise Fail(f"kind {r['kind']!r} is not field, flag or limit")
            if r["kind"] == "field" and (r["offset"] is None or r["size_bytes"] is None):
                raise Fail("a field needs offset and size_bytes")
            if r["kind"] in ("flag", "limit") and r["value"] is None:
                raise Fail(f"a {r['kind']} needs a value")
        except Fail as e:
            P.error(label, line, raw, str(e))
            continue
        rows.append(r)
        parsed.append((line, raw, r))
    unique(parsed, lambda r: r["name"], label, "name")
    columns = {
        "kind": "string: field | flag | limit",
        "name": "string: field, flag or limit name",
        "offset": "uint|null: byte offset of a field in RPC_HEADER_EXT",
        "size_bytes": "uint|null: byte size of a field",
        "value": "uint|null: required value of a field, bit value of a flag, or the limit",
        "spec_ref": "string: MS-OXCRPC section and requirement ids",
    }
    prov = provenance(
        src, "MS-OXCRPC", "2.2.2.1, 3.1.4.1.1", [rel],
        f"{INTEROP} ExchangeMAPI/Source/MS-OXCRPC/TestSuite/MS-OXCRPC_RequirementSpecification.xml",
        "The meaning column is not carried; the XorMagic transform (XOR 0xA5) is in MS-OXCRPC "
        "3.1.4.1.1.3 and in examples/MS-OXCRPC_xor_example.hex.")
    return Table("mapi", "rpc-header-ext", prov, columns, rows)


def build_aux_blocks(src):
    rel = "mapi/aux-blocks.tsv"
    label = src.label(rel)
    header = ["block", "field_order", "field", "size", "spec_section", "req_id"]
    rows, parsed = [], []
    for line, raw, c in src.read_tsv(rel, header):
        try:
            size = req_str(c["size"], "size")
            r = {
                "block": req_str(c["block"], "block"),
                "field_order": to_int(req_str(c["field_order"], "field_order"), "field_order"),
                "field": req_str(c["field"], "field"),
                "size": None if size == "variable" else to_int(size, "size"),
                "spec_section": req_str(c["spec_section"], "spec_section"),
                "req_id": req_str(c["req_id"], "req_id"),
            }
            if not re.match(r"^MS-[A-Z]+_R\d+$", r["req_id"]):
                raise Fail(f"req_id {r['req_id']!r} is not a requirement id")
        except Fail as e:
            P.error(label, line, raw, str(e))
            continue
        rows.append(r)
        parsed.append((line, raw, r))
    unique(parsed, lambda r: (r["block"], r["field_order"]), label, "(block, field_order)")
    unique(parsed, lambda r: (r["block"], r["field"]), label, "(block, field)")
    expect = {}
    for line, raw, r in parsed:
        n = expect.get(r["block"], 0)
        if r["field_order"] != n:
            P.error(label, line, raw, f"field_order {r['field_order']} but {n} expected "
                                      "(fields must be listed in order from 0)")
        expect[r["block"]] = r["field_order"] + 1
    columns = {
        "block": "string: AUX_HEADER or auxiliary block structure name",
        "field_order": "uint: position of the field in the block, from 0",
        "field": "string: field name",
        "size": "uint|null: byte size; null = variable (string located by an offset field)",
        "spec_section": "string: MS-OXCRPC section",
        "req_id": "string: MS-OXCRPC requirement id",
    }
    prov = provenance(
        src, "MS-OXCRPC", "2.2.2.2 and 2.2.2.2.1 to 2.2.2.2.23", [rel],
        f"{INTEROP} ExchangeMAPI/Source/MS-OXCRPC/TestSuite/MS-OXCRPC_RequirementSpecification.xml",
        "Every source column is carried; 'variable' sizes become null.")
    return Table("mapi", "aux-blocks", prov, columns, rows)


def build_aux_block_types(src, blocks):
    rel = "mapi/aux-block-types.tsv"
    label = src.label(rel)
    header = ["version", "version_name", "type", "type_name", "block_structure", "spec_ref", "note"]
    block_names = {r["block"] for r in blocks.rows}
    rows, parsed = [], []
    for line, raw, c in src.read_tsv(rel, header):
        try:
            block = req_str(c["block_structure"], "block_structure")
            # The note of type 0x46 says the block section calls the structure by another name;
            # use that name so the row joins with aux-blocks.json.
            m = re.search(r"block structure named (AUX_\w+)", c["note"])
            if m:
                block = m.group(1)
            r = {
                "version": to_int(req_str(c["version"], "version"), "version"),
                "version_name": req_str(c["version_name"], "version_name"),
                "type": to_int(req_str(c["type"], "type"), "type"),
                "type_name": req_str(c["type_name"], "type_name"),
                "block_structure": block,
                "spec_ref": req_str(c["spec_ref"], "spec_ref"),
            }
            if r["version"] > 0xFF or r["type"] > 0xFF:
                raise Fail("version and type are single bytes")
            if block not in block_names:
                raise Fail(f"block_structure {block} is not a block of aux-blocks.tsv")
        except Fail as e:
            P.error(label, line, raw, str(e))
            continue
        rows.append(r)
        parsed.append((line, raw, r))
    unique(parsed, lambda r: (r["version"], r["type"]), label, "(version, type)")
    columns = {
        "version": "uint: AUX_HEADER Version",
        "version_name": "string: AUX_VERSION_1 or AUX_VERSION_2",
        "type": "uint: AUX_HEADER Type",
        "type_name": "string: AUX_TYPE_* name as the spec prints it (typos kept)",
        "block_structure": "string: block that follows the header (name as in aux-blocks.json)",
        "spec_ref": "string: MS-OXCRPC section and requirement id",
    }
    prov = provenance(
        src, "MS-OXCRPC", "2.2.2.2", [rel, "mapi/aux-blocks.tsv"],
        f"{INTEROP} ExchangeMAPI/Source/MS-OXCRPC/TestSuite/MS-OXCRPC_RequirementSpecification.xml",
        "The note column is not carried; for type 0x46 its fact (the block's own name, "
        "AUX_SERVER_CAPABILITIES) replaces the name the type table prints.")
    return Table("mapi", "aux-block-types", prov, columns, rows)


# --------------------------------------------------------------------------------------------
# ActiveSync tables
# --------------------------------------------------------------------------------------------

WBXML_HEADER = ["codepage", "namespace", "tag", "token", "versions", "notes"]
TAG_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def wbxml_common(c):
    cp = to_int(req_str(c["codepage"], "codepage"), "codepage")
    tok = to_int(req_str(c["token"], "token"), "token")
    if not 0 <= cp <= 25:
        raise Fail(f"codepage {cp} outside 0..25")
    if not 0x05 <= tok <= 0x3F:
        raise Fail(f"token 0x{tok:02X} outside 0x05..0x3F")
    tag = req_str(c["tag"], "tag")
    if not TAG_RE.match(tag):
        raise Fail(f"tag {tag!r} is not an XML element name")
    return cp, req_str(c["namespace"], "namespace"), tag, tok, versions_list(c["versions"],
                                                                            "versions")


def wbxml_checks(parsed, label):
    unique(parsed, lambda r: (r["codepage"], r["token"]), label, "(codepage, token)")
    unique(parsed, lambda r: (r["codepage"], r["tag"]), label, "(codepage, tag)")
    ns = {}
    for line, raw, r in parsed:
        first = ns.setdefault(r["codepage"], r["namespace"])
        if first != r["namespace"]:
            P.error(label, line, raw, f"namespace {r['namespace']} but code page {r['codepage']} "
                                      f"is {first} elsewhere")


def build_wbxml(src):
    rel = "activesync/wbxml-codepages.tsv"
    label = src.label(rel)
    rows, parsed = [], []
    for line, raw, c in src.read_tsv(rel, WBXML_HEADER):
        try:
            cp, ns, tag, tok, versions = wbxml_common(c)
            notes = c["notes"]
            m_req = re.search(r"RS (MS-ASWBXML_R\d+)", notes)
            m_sec = re.search(r"section ([0-9.]*[0-9])", notes)
            m_rep = re.search(r"with ([0-9./]+) the (\w+) tag of code page (\d+)", notes)
            m_xsd = re.search(r"Interop \w+\.xsd names it (\w+)", notes)
            if not m_req or not m_sec:
                raise Fail("notes carry no requirement id and section")
            r = {
                "codepage": cp,
                "namespace": ns,
                "tag": tag,
                "token": tok,
                "versions": versions,
                "req_id": m_req.group(1),
                "section": m_sec.group(1),
                "opaque": "carried as opaque data" in notes,
                "replaced_by_codepage": int(m_rep.group(3)) if m_rep else None,
                "replaced_by_tag": m_rep.group(2) if m_rep else None,
                "replaced_in_versions": m_rep.group(1).split("/") if m_rep else [],
                "xsd_name": m_xsd.group(1) if m_xsd else None,
                "legacy": False,
            }
            for v in r["replaced_in_versions"]:
                if v not in AS_VERSIONS:
                    raise Fail(f"unknown protocol version {v!r} in notes")
        except Fail as e:
            P.error(label, line, raw, str(e))
            continue
        rows.append(r)
        parsed.append((line, raw, r))
    wbxml_checks(parsed, label)
    unique(parsed, lambda r: r["req_id"], label, "requirement id")
    keys = {(r["codepage"], r["tag"]) for r in rows}
    for line, raw, r in parsed:
        if r["replaced_by_tag"] and (r["replaced_by_codepage"], r["replaced_by_tag"]) not in keys:
            P.error(label, line, raw, "replacement tag named in notes is not in the table")
    columns = {
        "codepage": "uint: WBXML code page, 0..25",
        "namespace": "string: code page namespace as in the section titles (e.g. AirSync, GAL)",
        "tag": "string: element name as the MS-ASWBXML table writes it",
        "token": "uint: tag token, 0x05..0x3F (without the content bit 0x40)",
        "versions": "array of string: protocol versions that have the tag; [] = all versions",
        "req_id": "string: MS-ASWBXML requirement that states the row",
        "section": "string: MS-ASWBXML section of the code page table",
        "opaque": "bool: content is carried as WBXML opaque data in practice (libwbxml marks it binary)",
        "replaced_by_codepage": "uint|null: code page of the tag used instead in replaced_in_versions",
        "replaced_by_tag": "string|null: tag used instead in replaced_in_versions (table notes 1-4)",
        "replaced_in_versions": "array of string: versions in which replaced_by_tag is used instead",
        "xsd_name": "string|null: element name in the Interop-TestSuites XSDs when it differs",
        "legacy": "bool: always false here (see wbxml-codepages-legacy.json)",
    }
    prov = provenance(
        src, "MS-ASWBXML", "2.1.2.1.1 to 2.1.2.1.26", [rel],
        f"{INTEROP} ExchangeActiveSync/Docs/MS-ASWBXML/MS-ASWBXML_RequirementSpecification.xlsx "
        "(spec version 22.2, 2019-03-19); learn.microsoft.com MS-ASWBXML code pages 10, 12, 25 "
        f"(stored); cross-checked with {LIBWBXML}, {ZPUSH}, {GROMMUNIO_SYNC}, {HORDE}",
        "Notes are reduced to req_id, section, opaque, the replacement facts and xsd_name. "
        "Code page 3 (AirNotify) has no rows: the spec lists it as unused.")
    return Table("activesync", "wbxml-codepages", prov, columns, rows), parsed


IMPL_NAMES = ["libwbxml", "Z-Push", "grommunio-sync", "Horde"]


def build_wbxml_legacy(src, spec_parsed):
    rel = "activesync/wbxml-codepages-legacy.tsv"
    label = src.label(rel)
    rows, parsed = [], []
    for line, raw, c in src.read_tsv(rel, WBXML_HEADER):
        try:
            cp, ns, tag, tok, versions = wbxml_common(c)
            notes = c["notes"]
            m_impl = re.search(r"implementations: ([^;]*)", notes)
            m_xsd = re.search(r"declared in Interop (\w+\.xsd)", notes)
            m_sup = re.search(r"superseded by ([\w:]+) from ([0-9.]*[0-9])", notes)
            impls = []
            if m_impl:
                for part in m_impl.group(1).split(","):
                    who = part.split("=")[0].strip()
                    if who not in IMPL_NAMES:
                        raise Fail(f"unknown implementation {who!r} in notes")
                    impls.append(who)
            if not impls:
                raise Fail("notes name no implementation that carries the token")
            r = {
                "codepage": cp,
                "namespace": ns,
                "tag": tag,
                "token": tok,
                "versions": versions,
                "implementations": impls,
                "xsd": m_xsd.group(1) if m_xsd else None,
                "superseded_by": m_sup.group(1) if m_sup else None,
                "superseded_in": m_sup.group(2) if m_sup else None,
                "legacy": True,
            }
        except Fail as e:
            P.error(label, line, raw, str(e))
            continue
        rows.append(r)
        parsed.append((line, raw, r))
    wbxml_checks(parsed, label)
    # Across both files: a legacy row must not reuse a spec token or tag on the same page,
    # and the namespace of a page must agree.
    spec_tok = {(r["codepage"], r["token"]): (l, r) for l, _, r in spec_parsed}
    spec_tag = {(r["codepage"], r["tag"]): (l, r) for l, _, r in spec_parsed}
    spec_ns = {r["codepage"]: r["namespace"] for _, _, r in spec_parsed}
    for line, raw, r in parsed:
        k = (r["codepage"], r["token"])
        if k in spec_tok:
            P.error(label, line, raw, f"token collides with wbxml-codepages.tsv line "
                                      f"{spec_tok[k][0]} ({spec_tok[k][1]['tag']})")
        k = (r["codepage"], r["tag"])
        if k in spec_tag:
            P.error(label, line, raw, f"tag also in wbxml-codepages.tsv line {spec_tag[k][0]}")
        if r["codepage"] in spec_ns and spec_ns[r["codepage"]] != r["namespace"]:
            P.error(label, line, raw, f"namespace differs from wbxml-codepages.tsv "
                                      f"({spec_ns[r['codepage']]})")
    columns = {
        "codepage": "uint: WBXML code page",
        "namespace": "string: code page namespace",
        "tag": "string: element name (libwbxml spelling where implementations differ)",
        "token": "uint: tag token, 0x05..0x3F",
        "versions": "array of string: always [] (the source states no versions)",
        "implementations": "array of string: implementations that carry the token (libwbxml, Z-Push, grommunio-sync, Horde)",
        "xsd": "string|null: Interop-TestSuites XSD that still declares the element",
        "superseded_by": "string|null: element that replaced it (prefix:Name)",
        "superseded_in": "string|null: protocol version from which superseded_by is used",
        "legacy": "bool: always true; the token is not in the MS-ASWBXML table (decode only)",
    }
    prov = provenance(
        src, "MS-ASWBXML (tokens outside its table)", "2.1.2.1", [rel],
        f"{LIBWBXML}; {ZPUSH}; {GROMMUNIO_SYNC}; {HORDE}; Interop-TestSuites XSDs ({INTEROP})",
        "Tokens that implementations and the 2.5-era XSDs use but the spec table does not list; "
        "no collision with a spec token or tag on the same page (checked).")
    return Table("activesync", "wbxml-codepages-legacy", prov, columns, rows)


def build_command_codes(src):
    rel = "activesync/ashttp-command-codes.tsv"
    label = src.label(rel)
    rows, parsed = [], []
    unassigned = []
    for line, raw, c in src.read_tsv(rel, ["code", "command", "notes"]):
        m_range = re.match(r"^(\d+)-(\d+)$", c["code"].strip())
        if m_range and c["command"].strip() == "(none)":
            unassigned.append((int(m_range.group(1)), int(m_range.group(2))))
            continue
        try:
            notes = c["notes"]
            m_req = re.search(r"RS (MS-ASHTTP_R\d+)", notes)
            m_ver = re.match(r"^\s*([0-9]+\.[0-9]+) only", notes)
            page = "learn.microsoft.com MS-ASHTTP" in notes
            r = {
                "code": to_int(req_str(c["code"], "code"), "code"),
                "command": req_str(c["command"], "command"),
                "req_id": m_req.group(1) if m_req else None,
                "in_spec_page": page,
                "spec_confirmed": bool(page or m_req),
                "versions": [m_ver.group(1)] if m_ver else [],
            }
            if r["code"] > 0xFF:
                raise Fail("code is one byte")
        except Fail as e:
            P.error(label, line, raw, str(e))
            continue
        rows.append(r)
        parsed.append((line, raw, r))
    unique(parsed, lambda r: r["code"], label, "command code")
    unique(parsed, lambda r: r["command"], label, "command")
    codes = {r["code"] for r in rows}
    for lo, hi in unassigned:
        if any(lo <= x <= hi for x in codes):
            P.error(label, None, None, f"codes {lo}..{hi} are marked unassigned but have rows")
    gaps = ", ".join(f"{lo}..{hi}" for lo, hi in unassigned)
    columns = {
        "code": "uint: Command code byte of the base64 query",
        "command": "string: command name (plain-text Cmd= value)",
        "req_id": "string|null: MS-ASHTTP requirement that states the code",
        "in_spec_page": "bool: the code is in the stored learn.microsoft.com table (codes 0..16)",
        "spec_confirmed": "bool: false when only an implementation gives the value (Find = 23, from grommunio-sync)",
        "versions": "array of string: protocol versions the command exists in; [] = not restricted by the source",
    }
    prov = provenance(
        src, "MS-ASHTTP", "2.2.1.1.1.1.2", [rel],
        f"learn.microsoft.com MS-ASHTTP 2.2.1.1.1.1.2 (stored, codes 0..16); {INTEROP} "
        f"ExchangeActiveSync MS-ASHTTP_RequirementSpecification.xml; {GROMMUNIO_SYNC} (Find)",
        f"Codes {gaps} are not assigned (the note row is dropped, its fact is this sentence). "
        "Find = 23 is not confirmed by the spec text.")
    return Table("activesync", "ashttp-command-codes", prov, columns, rows)


def build_parameter_codes(src):
    rel = "activesync/ashttp-parameter-codes.tsv"
    label = src.label(rel)
    rows, parsed = [], []
    unassigned = []
    for line, raw, c in src.read_tsv(rel, ["tag", "name", "used_by", "notes"]):
        try:
            tag = to_int(req_str(c["tag"], "tag"), "tag")
            if c["name"].strip() == "(none)":
                unassigned.append(tag)
                continue
            notes = c["notes"]
            m_req = re.search(r"RS (MS-ASHTTP_R\d+)", notes)
            kind = notes.split(":", 1)[0].strip()
            value_type = {"string": "string", "single-byte bitmask": "uint8_flags"}.get(kind)
            if value_type is None:
                raise Fail(f"notes do not start with a known value type ({kind!r})")
            r = {
                "tag": tag,
                "name": req_str(c["name"], "name"),
                "used_by": str_list(c["used_by"]),
                "value_type": value_type,
                "req_id": m_req.group(1) if m_req else None,
            }
            if not r["used_by"]:
                raise Fail("used_by is empty")
        except Fail as e:
            P.error(label, line, raw, str(e))
            continue
        rows.append(r)
        parsed.append((line, raw, r))
    unique(parsed, lambda r: r["tag"], label, "parameter tag")
    unique(parsed, lambda r: r["name"], label, "parameter name")
    for t in unassigned:
        if any(r["tag"] == t for r in rows):
            P.error(label, None, None, f"tag {t} is marked unassigned but has a row")
    columns = {
        "tag": "uint: parameter tag byte",
        "name": "string: parameter name",
        "used_by": "array of string: commands that take it (\"any command\" for User)",
        "value_type": "string: string | uint8_flags (Options, see ashttp-options-flags.json)",
        "req_id": "string|null: MS-ASHTTP requirement that states the tag",
    }
    prov = provenance(
        src, "MS-ASHTTP", "2.2.1.1.1.1.3", [rel],
        f"learn.microsoft.com MS-ASHTTP 2.2.1.1.1.1.3 (stored); {INTEROP} "
        "ExchangeActiveSync MS-ASHTTP_RequirementSpecification.xml",
        f"Unassigned tags ({', '.join(str(t) for t in unassigned)}) are left out. The value "
        "type is taken from the notes; the rest of the notes is not carried.")
    return Table("activesync", "ashttp-parameter-codes", prov, columns, rows)


def build_options_flags(src):
    rel = "activesync/ashttp-options-flags.tsv"
    label = src.label(rel)
    rows, parsed = [], []
    for line, raw, c in src.read_tsv(rel, ["value", "flag", "valid_for"]):
        try:
            r = {
                "value": to_int(req_str(c["value"], "value"), "value"),
                "flag": req_str(c["flag"], "flag"),
                "valid_for": str_list(c["valid_for"]),
            }
            if r["value"] > 0xFF or r["value"] & (r["value"] - 1):
                raise Fail("value is not a single bit of a byte")
            if not r["valid_for"]:
                raise Fail("valid_for is empty")
        except Fail as e:
            P.error(label, line, raw, str(e))
            continue
        rows.append(r)
        parsed.append((line, raw, r))
    unique(parsed, lambda r: r["value"], label, "flag value")
    unique(parsed, lambda r: r["flag"], label, "flag name")
    columns = {
        "value": "uint: bit in the Options parameter byte",
        "flag": "string: flag name",
        "valid_for": "array of string: commands the flag applies to",
    }
    prov = provenance(
        src, "MS-ASHTTP", "2.2.1.1.1.1.3 (Options parameter)", [rel],
        f"learn.microsoft.com MS-ASHTTP 2.2.1.1.1.1.3 (stored); {INTEROP} "
        "ExchangeActiveSync MS-ASHTTP_RequirementSpecification.xml",
        "All source columns are carried.")
    return Table("activesync", "ashttp-options-flags", prov, columns, rows)


def build_base64_fields(src):
    rel = "activesync/ashttp-base64-fields.tsv"
    label = src.label(rel)
    rows, parsed = [], []
    for line, raw, c in src.read_tsv(rel, ["order", "field", "size", "notes"]):
        try:
            size = req_str(c["size"], "size")
            m = re.match(r"^(\d+) bytes?$", size)
            r = {
                "order": to_int(req_str(c["order"], "order"), "order"),
                "field": req_str(c["field"], "field"),
                "size": size,
                "size_bytes": int(m.group(1)) if m else None,
                "length_field": None,
                "little_endian": "little-endian" in c["notes"],
            }
        except Fail as e:
            P.error(label, line, raw, str(e))
            continue
        rows.append(r)
        parsed.append((line, raw, r))
    names = {r["field"] for r in rows}
    for r in rows:
        if r["size_bytes"] is None and f"{r['field']} length" in names:
            r["length_field"] = f"{r['field']} length"
    unique(parsed, lambda r: r["order"], label, "order")
    unique(parsed, lambda r: r["field"], label, "field")
    for i, (line, raw, r) in enumerate(parsed, start=1):
        if r["order"] != i:
            P.error(label, line, raw, f"order {r['order']}, expected {i}")
    columns = {
        "order": "uint: position of the field in the decoded query value, from 1",
        "field": "string: field name",
        "size": "string: size as the source writes it (e.g. \"1 byte\", \"0 or 4 bytes\", \"variable\")",
        "size_bytes": "uint|null: fixed size in bytes; null when variable or conditional",
        "length_field": "string|null: field that holds this field's length",
        "little_endian": "bool: multi-byte integer stored little-endian (Locale, Policy key)",
    }
    prov = provenance(
        src, "MS-ASHTTP", "2.2.1.1.1.1", [rel],
        f"MS-ASHTTP requirement table R23..R54 ({INTEROP}); spec example query value; "
        "Windows Mail captures (byte order)",
        "Notes are reduced to little_endian and length_field; Command parameters are repeated "
        "{tag byte, length byte, value} entries (see ashttp-parameter-codes.json).")
    return Table("activesync", "ashttp-base64-fields", prov, columns, rows)


def build_headers(src):
    rel = "activesync/ashttp-headers.tsv"
    label = src.label(rel)
    rows, parsed = [], []
    for line, raw, c in src.read_tsv(rel, ["direction", "header", "required", "example",
                                           "section", "notes"]):
        try:
            req = req_str(c["required"], "required")
            low = req.lower()
            required = (True if low == "yes" or low.startswith("yes (") else
                        False if low == "no" or low.startswith("no (") else None)
            example = opt_str(c["example"])
            if example == "(as above)":
                example = None
            r = {
                "direction": req_str(c["direction"], "direction"),
                "header": req_str(c["header"], "header"),
                "required": required,
                "required_detail": None if low in ("yes", "no") else req,
                "example": example,
                "section": req_str(c["section"], "section"),
            }
            if r["direction"] not in ("request", "response", "options-response"):
                raise Fail(f"direction {r['direction']!r} unknown")
        except Fail as e:
            P.error(label, line, raw, str(e))
            continue
        rows.append(r)
        parsed.append((line, raw, r))
    unique(parsed, lambda r: (r["direction"], r["header"].lower()), label, "(direction, header)")
    columns = {
        "direction": "string: request | response (POST) | options-response (HTTP OPTIONS)",
        "header": "string: header name",
        "required": "bool|null: true if required, false if optional, null if it depends",
        "required_detail": "string|null: the source's wording when it is not a plain yes/no",
        "example": "string|null: example value",
        "section": "string: MS-ASHTTP section",
    }
    prov = provenance(
        src, "MS-ASHTTP", "2.2.1.1.2, 2.2.2.1.2, 2.2.4.1.2", [rel],
        f"learn.microsoft.com MS-ASHTTP 2.2.1.1.2.5, 2.2.1.1.2.6, 2.2.2.1.2, 2.2.4.1.2 (stored); "
        f"{INTEROP} ExchangeActiveSync MS-ASHTTP_RequirementSpecification.xml",
        "The notes column is not carried. Section numbers follow the current revision.")
    return Table("activesync", "ashttp-headers", prov, columns, rows)


def build_common_status(src):
    rel = "activesync/ascmd-common-status.tsv"
    label = src.label(rel)
    header = ["value", "name", "meaning", "versions", "http_status_when_2.5_12.0_12.1", "notes"]
    rows, parsed = [], []
    for line, raw, c in src.read_tsv(rel, header):
        try:
            http = c["http_status_when_2.5_12.0_12.1"].strip()
            m = re.match(r"^(\d{3})\b", http)
            m_req = re.search(r"RS ((?:MS-ASCMD_R\d+,?)+)", c["notes"])
            r = {
                "value": to_int(req_str(c["value"], "value"), "value"),
                "name": req_str(c["name"], "name"),
                "versions": versions_list(c["versions"], "versions"),
                "http_status": int(m.group(1)) if m else None,
                "http_status_detail": http if http and not DEC_RE.match(http) else None,
                "req_ids": str_list(m_req.group(1)) if m_req else [],
            }
            if http and not m:
                raise Fail("http status cell does not start with a status code")
            if not r["req_ids"]:
                raise Fail("notes carry no requirement id")
            if r["value"] > 0xFF:
                raise Fail("value does not fit a byte")
        except Fail as e:
            P.error(label, line, raw, str(e))
            continue
        rows.append(r)
        parsed.append((line, raw, r))
    unique(parsed, lambda r: r["value"], label, "status value")
    unique(parsed, lambda r: r["name"], label, "status name")
    columns = {
        "value": "uint: Status value",
        "name": "string: status name",
        "versions": "array of string: versions the requirement text names; [] = no restriction stated",
        "http_status": "uint|null: HTTP status returned instead of the Status element for 2.5, 12.0 and 12.1",
        "http_status_detail": "string|null: the source cell when the HTTP status depends on the command or case",
        "req_ids": "array of string: MS-ASCMD requirement ids as listed (the source shortens long lists)",
    }
    prov = provenance(
        src, "MS-ASCMD", "2.2.2", [rel],
        f"{INTEROP} ExchangeActiveSync MS-ASCMD_RequirementSpecification.xml (section 2.2.2 rows); "
        f"cross-checked with {HORDE} Status.php and {GROMMUNIO_SYNC}",
        "Meanings are not carried. The source cuts long requirement lists with '...'; req_ids "
        "holds the ids it lists.")
    return Table("activesync", "ascmd-common-status", prov, columns, rows)


# --------------------------------------------------------------------------------------------
# Requirement tables
# --------------------------------------------------------------------------------------------

REQ_COLUMNS = {
    "id": "string: requirement id, e.g. MS-ASHTTP_R1",
    "section": "string: spec section the statement is taken from",
    "scope": "string|null: Server | Client | Both (null when the source leaves it empty)",
    "normative": "bool: true for Normative, false for Informative",
    "behavior": "string|null: Protocol (all implementations) | Product (Microsoft products only)",
    "verification": "string|null: Adapter | Test Case | Non-testable | Unverified",
    "derived": "array of string: requirements this one is derived from, as id:kind (i inferred, p partial, c cases; kind missing in 2 source rows)",
}
REQ_ID_RE = re.compile(r"^MS-[A-Z]+_R\d+$")
DERIVED_RE = re.compile(r"^(MS-[A-Z]+_R\d+)(?::([ipcIPC]))?$")


def requirement_row(spec, d, seen_skips):
    """d: raw cell dict. Returns a row, None to skip, or raises Fail."""
    rid = (d.get("REQ_ID") or "").strip()
    sect = (d.get("Doc_Sect") or "").strip()
    if not rid:
        k = (spec, sect)
        if k in REQUIREMENTS_WITHOUT_ID:
            seen_skips[k] = seen_skips.get(k, 0) + 1
            return None
        raise Fail("REQ_ID is empty")
    if not REQ_ID_RE.match(rid):
        raise Fail(f"REQ_ID {rid!r} is not of the form MS-XXXX_R<n>")
    norm = (d.get("IsNormative") or "").strip()
    if norm not in ("Normative", "Informative"):
        raise Fail(f"IsNormative {norm!r} is not Normative or Informative")
    if not sect or not re.match(r"^\d+(\.\d+)*$", sect):
        raise Fail(f"Doc_Sect {sect!r} is not a section number")
    derived = []
    for x in str_list(d.get("Derived") or ""):
        m = DERIVED_RE.match(x)
        if not m:
            raise Fail(f"Derived entry {x!r} is not <req id>[:i|p|c]")
        # The kind letter is written in lower case (a few rows use upper case or omit it).
        derived.append(m.group(1) + (":" + m.group(2).lower() if m.group(2) else ""))
    row = {
        "id": rid,
        "section": sect,
        "scope": opt_str(d.get("Scope") or ""),
        "normative": norm == "Normative",
        "behavior": opt_str(d.get("Behavior") or ""),
        "verification": opt_str(d.get("Verification") or ""),
        "derived": derived,
    }
    for col, allowed in (("scope", {"Server", "Client", "Both"}),
                         ("behavior", {"Protocol", "Product"}),
                         ("verification", {"Adapter", "Test Case", "Non-testable", "Unverified"})):
        if row[col] is not None and row[col] not in allowed:
            raise Fail(f"{col} {row[col]!r} is not one of {sorted(allowed)}")
    return row


def build_requirement_xml(src, fname, seen_skips):
    rel = f"requirements/{fname}"
    label = src.label(rel)
    spec = fname.split("_RequirementSpecification")[0]
    data = src.read_bytes(rel)
    text = data.decode("utf-8-sig")
    starts = [text.count("\n", 0, m.start()) + 1
              for m in re.finditer(r"<(?:\w+:)?Requirement\b[^>]*>", text)]
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        P.error(label, e.position[0], None, f"XML error: {e}")
        return None
    rows, parsed = [], []
    reqs = [el for el in root if el.tag.split("}")[-1] == "Requirement"]
    for i, el in enumerate(reqs):
        d = {ch.tag.split("}")[-1]: (ch.text or "") for ch in el}
        line = starts[i] if i < len(starts) else None
        try:
            for col in ("Scope", "Behavior", "Verification"):
                if not (d.get(col) or "").strip():
                    raise Fail(f"{col} is empty")
            r = requirement_row(spec, d, seen_skips)
        except Fail as e:
            P.error(label, line, {k: v for k, v in d.items() if k != "Description"}, str(e))
            continue
        if r is None:
            continue
        rows.append(r)
        parsed.append((line, r["id"], r))
    unique(parsed, lambda r: r["id"], label, "requirement id")
    prov = provenance(
        src, spec, "all", [rel],
        f"{INTEROP} */Source/{spec}/TestSuite/{fname}",
        "Description and VerificationComment are not carried; look statements up by id in the "
        "published spec or the source table.")
    return Table("requirements", spec, prov, dict(REQ_COLUMNS), rows)


XLSX_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def build_requirement_xlsx(src, seen_skips):
    rel = "activesync/aswbxml-requirements/MS-ASWBXML_RequirementSpecification.xlsx"
    label = src.label(rel)
    data = src.read_bytes(rel)
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        shared = [("".join(t.text or "" for t in si.iter(XLSX_NS + "t")))
                  for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall(XLSX_NS + "si")]
        sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    except (zipfile.BadZipFile, KeyError, ET.ParseError) as e:
        P.error(label, None, None, f"cannot read workbook: {e}")
        return None
    table = []
    for row in sheet.iter(XLSX_NS + "row"):
        cells = {}
        for c in row.findall(XLSX_NS + "c"):
            col = re.match(r"[A-Z]+", c.get("r", "")).group(0)
            v = c.find(XLSX_NS + "v")
            if v is not None:
                cells[col] = shared[int(v.text)] if c.get("t") == "s" else (v.text or "")
            else:
                isel = c.find(XLSX_NS + "is")
                if isel is not None:
                    cells[col] = "".join(t.text or "" for t in isel.iter(XLSX_NS + "t"))
        table.append((int(row.get("r")), cells))
    # The data header row reads "Req ID", "Doc Sect", ...; map its columns by title.
    titles = {"Req ID": "REQ_ID", "Doc Sect": "Doc_Sect", "Description": "Description",
              "Derived": "Derived", "Behavior": "Behavior", "Scope": "Scope",
              "Informative\n/Normative": "IsNormative", "Verification": "Verification",
              "Verification Comment": "VerificationComment"}
    hdr_idx = None
    for i, (rno, cells) in enumerate(table):
        if cells.get("A") == "Req ID" and cells.get("B") == "Doc Sect":
            hdr_idx = i
    if hdr_idx is None:
        P.error(label, None, None, "no header row with 'Req ID', 'Doc Sect' found in sheet1")
        return None
    colmap = {}
    for col, title in table[hdr_idx][1].items():
        if title in titles:
            colmap[col] = titles[title]
    if set(colmap.values()) != set(titles.values()):
        P.error(label, table[hdr_idx][0], table[hdr_idx][1], "header row lacks expected columns")
        return None
    rows, parsed = [], []
    for rno, cells in table[hdr_idx + 1:]:
        d = {colmap[c]: v for c, v in cells.items() if c in colmap}
        if not any((v or "").strip() for v in d.values()):
            continue
        try:
            r = requirement_row("MS-ASWBXML", d, seen_skips)
        except Fail as e:
            P.error(label, f"sheet1 row {rno}", {k: v for k, v in d.items() if k != "Description"},
                    str(e))
            continue
        if r is None:
            continue
        rows.append(r)
        parsed.append((f"sheet1 row {rno}", r["id"], r))
    unique(parsed, lambda r: r["id"], label, "requirement id")
    empty_scope = sum(1 for r in rows if r["scope"] is None)
    if empty_scope:
        P.note(f"{label}: {empty_scope} of {len(rows)} rows have no Scope/Behavior/Verification "
               "in the workbook; written as null")
    prov = provenance(
        src, "MS-ASWBXML", "all (spec version 22.2, 2019-03-19)", [rel],
        f"{INTEROP} ExchangeActiveSync/Docs/MS-ASWBXML/MS-ASWBXML_RequirementSpecification.xlsx",
        "Read from xl/sharedStrings.xml and xl/worksheets/sheet1.xml; the workbook leaves Scope, "
        "Behavior and Verification empty on most rows, so they are null there.")
    return Table("requirements", "MS-ASWBXML", prov, dict(REQ_COLUMNS), rows)


def build_schema(src, wbxml, legacy):
    """activesync/schema.json: the XSD set flattened to (content model, child) rows."""
    xsd_dir = "activesync/xsd"
    names = src.listdir(xsd_dir, ".xsd")
    files = [(n, src.read_bytes(f"{xsd_dir}/{n}")) for n in names]
    try:
        rows, meta, notes, columns = xsd_schema.build(files, wbxml.rows, legacy.rows)
    except xsd_schema.SchemaError as e:
        P.error(src.label(xsd_dir), None, None, str(e))
        return None
    for n in notes:
        P.note(n)
    prov = provenance(
        src, "MS-ASCMD, MS-ASAIRS, MS-ASCAL, MS-ASCNTC, MS-ASEMAIL, MS-ASNOTE, MS-ASTASK, "
        "MS-ASPROV, MS-ASRM, MS-ASDOC (XSDs); MS-ASDTYPE (value types)", "XSD set",
        [f"{xsd_dir}/{n}" for n in names],
        f"{INTEROP} ExchangeActiveSync/Source/Common/ActiveSyncClient/SchemaValidation/; element "
        "identity from specs/activesync/wbxml-codepages.json and wbxml-codepages-legacy.json",
        "Flattened by specs/xsd_schema.py (its docstring lists every XSD construct and how it is "
        "flattened). One row per (content model, child); model 0 = global declarations. "
        "meta.models: id, first element path, mixed; meta.roots: command response roots.")
    return Table("activesync", "schema", prov, columns, rows, meta)


# --------------------------------------------------------------------------------------------
# Copied files and their notes
# --------------------------------------------------------------------------------------------

def copied_files(src):
    """Returns {relpath under specs/: bytes} for the XSDs, the hex examples and their notes."""
    out = {}
    xsd_dir = "activesync/xsd"
    xsds = src.listdir(xsd_dir, ".xsd")
    lines = []
    for n in xsds:
        data = src.read_bytes(f"{xsd_dir}/{n}")
        out[f"activesync/xsd/{n}"] = data
        tns = re.search(rb'targetNamespace="([^"]*)"', data)
        tns = tns.group(1).decode("utf-8") if tns else ""
        bom = " (UTF-8 BOM)" if data.startswith(b"\xef\xbb\xbf") else ""
        lines.append(f"| {n} | {tns} | {len(data)}{bom} | {hashlib.sha256(data).hexdigest()} |")
    manifest = "\n".join([
        "# ActiveSync XML schemas",
        "",
        "These files are exact copies of the ActiveSync schemas in Microsoft's protocol test",
        "suites: OfficeDev/Interop-TestSuites, commit fe87ed3253de01804a2ae6e1d0015943da6023f8,",
        "folder `ExchangeActiveSync/Source/Common/ActiveSyncClient/SchemaValidation/`.",
        "License: MIT (Microsoft Corporation). They were copied into shared/specs-src/activesync/xsd",
        "and from there, unchanged, into this folder by specs/import_specs.py. File names are kept;",
        "Provision.xsd keeps its UTF-8 byte order mark.",
        "",
        "They stay XSD; specs/activesync/schema.json is their flattened form (one row per",
        "content model and child, made by specs/xsd_schema.py).",
        "",
        "How to use them: the files have no xs:import lines, so a validator must load all of them",
        "as one schema set, keyed by target namespace. Several namespaces span more than one file",
        "(for example FolderHierarchy). Most files describe server responses; most request-only",
        "schemas are not in the test suites. Some element names differ from the MS-ASWBXML token",
        "table (ComposeMail uses ForwardeeName/ForwardeeEmail; see xsd_name in",
        "wbxml-codepages.json), and several files still declare 2.5-era elements whose tokens are",
        "in wbxml-codepages-legacy.json.",
        "",
        f"{len(xsds)} files:",
        "",
        "| file | targetNamespace | bytes | sha256 |",
        "| --- | --- | --- | --- |",
        *lines,
        "",
    ])
    out["activesync/xsd/MANIFEST.md"] = manifest.encode("utf-8")

    ex_dir = "mapi/examples"
    hexes = src.listdir(ex_dir, ".hex")
    ex_lines = []
    for n in hexes:
        data = src.read_bytes(f"{ex_dir}/{n}")
        out[f"examples/{n}"] = data
        nbytes = 0
        for ln in data.decode("ascii").splitlines():
            if ln.strip().startswith("#"):
                continue
            for tok in ln.split():
                if not re.match(r"^[0-9A-Fa-f]{2}$", tok):
                    P.error(src.label(f"{ex_dir}/{n}"), None, ln, f"{tok!r} is not a hex byte")
                nbytes += 1
        ex_lines.append(f"| {n} | {nbytes} | {hashlib.sha256(data).hexdigest()} |")
    readme = "\n".join([
        "# Worked examples (test vectors)",
        "",
        "Byte dumps copied unchanged from shared/specs-src/mapi/examples by",
        "specs/import_specs.py. Format: hex bytes separated by white space, 16 per line; lines",
        "that start with `#` are comments (the XorMagic file uses them to label its two dumps).",
        "",
        "- `MS-OXRTFCP_example1_*`, `MS-OXRTFCP_example2_*`: the two compressed-RTF examples of",
        "  MS-OXRTFCP section 4 (a compressed stream and the bytes it decompresses to). The bytes",
        "  were taken from openchange/openchange (GPL-3.0), commit",
        "  03bae8ff2905e064c7c755f4393e5d3f73208422, utils/mapitest/modules/module_noserver.c, which",
        "  quotes them as the MS-OXRTFCP examples. The collector checked that both decompress to",
        "  the expected bytes with a matching CRC. Example 1 is what Outlook produces, so a",
        "  compressor that must match Outlook byte for byte can use it.",
        "- `MS-OXCRPC_xor_example.hex`: a short input and its XorMagic form (each byte XOR 0xA5,",
        "  MS-OXCRPC 3.1.4.1.1.3). It was written for the collection; it is not a spec dump.",
        "",
        "MS-OXCRPC describes its LZ77/DIRECT2 compression example as a step table, not as bytes,",
        "so there is no hex file for it.",
        "",
        "| file | bytes | sha256 |",
        "| --- | --- | --- |",
        *ex_lines,
        "",
    ])
    out["examples/README.md"] = readme.encode("utf-8")
    return out


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------

def build_all(src):
    tables = []
    types = build_property_types(src)
    sets = build_property_sets(src)
    props = build_properties(src, types, sets)
    nonspec = build_properties_nonspec(src, types, sets, props)
    errors = build_error_codes(src)
    rops = build_rops(src)
    layouts = build_rop_layouts(src, rops)
    rpc = build_rpc_header_ext(src)
    blocks = build_aux_blocks(src)
    btypes = build_aux_block_types(src, blocks)
    tables += [props, nonspec, sets, types, errors, rops, layouts, rpc, btypes, blocks]

    wbxml, wbxml_parsed = build_wbxml(src)
    legacy = build_wbxml_legacy(src, wbxml_parsed)
    tables += [wbxml, legacy, build_command_codes(src), build_parameter_codes(src),
               build_options_flags(src), build_base64_fields(src), build_headers(src),
               build_common_status(src), build_schema(src, wbxml, legacy)]

    seen_skips = {}
    for fname in src.listdir("requirements", "_RequirementSpecification.xml"):
        tables.append(build_requirement_xml(src, fname, seen_skips))
    tables.append(build_requirement_xlsx(src, seen_skips))
    for k, n in REQUIREMENTS_WITHOUT_ID.items():
        got = seen_skips.get(k, 0)
        if got != n:
            P.error("specs-src/requirements", None, None,
                    f"expected {n} row(s) without REQ_ID in {k[0]} section {k[1]}, found {got}")
        else:
            P.note(f"{k[0]}: skipped {n} requirement row(s) without REQ_ID (section {k[1]})")

    files = {}
    for t in tables:
        if t is None:
            continue
        check_columns(t, t.relpath)
        if not t.rows:
            P.error(t.relpath, None, None, "table has no rows")
        files[t.relpath] = t.render()
    files.update(copied_files(src))
    counts = {t.relpath: len(t.rows) for t in tables if t is not None}
    return files, counts


MANAGED_DIRS = ("mapi", "activesync", "requirements", "examples")


def managed(out_dir):
    """Files under out_dir that this script owns: everything in its output folders."""
    found = set()
    for area in MANAGED_DIRS:
        for base, dirs, names in os.walk(os.path.join(out_dir, area)):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            for n in names:
                found.add(os.path.relpath(os.path.join(base, n), out_dir).replace(os.sep, "/"))
    return found


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", default=DEFAULT_SRC,
                    help="spec source directory (default: ../shared/specs-src from the repo root)")
    ap.add_argument("--out", default=HERE, help="output directory (default: the specs/ directory "
                                                "that holds this script)")
    ap.add_argument("--check", action="store_true",
                    help="regenerate in memory and compare with --out; exit 1 on any difference")
    ap.add_argument("-q", "--quiet", action="store_true", help="do not print notes and counts")
    args = ap.parse_args(argv)

    if not os.path.isdir(args.src):
        print(f"error: source directory {args.src} not found", file=sys.stderr)
        return 1
    src = Source(args.src)
    files, counts = build_all(src)
    if not P.report():
        print(f"error: {len(P.errors)} validation problem(s); nothing written", file=sys.stderr)
        return 1
    if not args.quiet:
        for n in P.notes:
            print(f"note: {n}")

    out = os.path.abspath(args.out)
    if args.check:
        differ = []
        for rel in sorted(files):
            p = os.path.join(out, rel)
            try:
                with open(p, "rb") as f:
                    if f.read() != files[rel]:
                        differ.append(f"{rel} (differs)")
            except FileNotFoundError:
                differ.append(f"{rel} (missing)")
        if os.path.isdir(out):
            for rel in sorted(managed(out) - set(files)):
                differ.append(f"{rel} (not produced by the script)")
        if differ:
            print("specs/ is out of date with the sources; re-run import_specs.py:", file=sys.stderr)
            for d in differ:
                print(f"  {d}", file=sys.stderr)
            return 1
        if not args.quiet:
            print(f"ok: {len(files)} files match")
        return 0

    for rel, data in sorted(files.items()):
        p = os.path.join(out, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        try:
            with open(p, "rb") as f:
                if f.read() == data:
                    continue
        except FileNotFoundError:
            pass
        with open(p, "wb") as f:
            f.write(data)
    stale = sorted(managed(out) - set(files))
    for rel in stale:
        os.remove(os.path.join(out, rel))
    if not args.quiet:
        for rel in sorted(counts):
            print(f"{rel}: {counts[rel]} rows")
        print(f"wrote {len(files)} files to {out}" + (f", removed {len(stale)} stale" if stale else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
