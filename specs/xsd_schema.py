"""Flatten the ActiveSync XSDs (specs-src/activesync/xsd) into specs/activesync/schema.json.

Called by import_specs.py; standard library only; deterministic output. The 41 files have no
xs:import and are loaded as one schema set keyed by target namespace. Element identity is the
WBXML (code page, tag) of MS-ASWBXML 2.1.2.1 (wbxml-codepages.json, then the legacy table), so
that Status in AirSync and Status in FolderHierarchy are different elements.

A *model* is one content model: the anonymous complexType of an element declaration (global or
local), or a named complexType (shared by every element of that type). Model 0 is the pseudo
model "global declarations": one row per global element, used for lax validation (a subtree
whose context has no schema still checks the globally declared elements inside it). Rows are
(model, child): where the child may stand, how often, and what it holds.

XSD constructs met and how they are flattened (see specs/README.md for the columns):
  xs:element name=/ref=/type=   a row; ref= resolves a global element (possibly in another
                                 file of the set); type= a named simpleType or complexType
  anonymous xs:complexType       a model of its own, per declaration
  named xs:complexType           one model shared by its elements (Search/Find queryType is
                                 recursive through And/Or)
  complexType mixed="true"       the model allows text (model.mixed)
  xs:sequence                    children get increasing `order`; a repeated sequence
                                 (maxOccurs > 1) makes its children one unordered block
  xs:choice maxOccurs=1          an exclusive choice: its rows share one `order`, a `choice` id
                                 and a `branch` per alternative; a child's minOccurs counts only
                                 when its branch is taken; `choice_required` when some branch
                                 must be taken (every branch has a required child)
  xs:choice maxOccurs>1          a repeated choice: rows share one `order`, minOccurs 0, maxOccurs
                                 multiplied (unbounded), no exclusivity
  xs:all                         rows share one `order` (any order), minOccurs kept
  xs:group ref=                  expanded in place with the ref's minOccurs/maxOccurs applied
  minOccurs/maxOccurs on a compositor   multiplied into the children's
  the same child twice in a model       merged: minOccurs summed, maxOccurs summed, the orders
                                 between its first and last place merged into one block
  xs:simpleType/xs:restriction   value_type from the base (MS-ASDTYPE: string, integer,
                                 unsignedByte/Short/Int, int, double, dateTime, boolean; no
                                 xs:base64Binary occurs: opaque data is typed xs:string), facets minInclusive/maxInclusive,
                                 minLength/maxLength, pattern, enumeration
  xs:union (Provision unsignedByteOrEmpty, unsignedIntOrEmpty)  the member type + allow_empty
  airsyncbase:EmptyTag (string maxLength 0), Find's empty complexType EmptyTag   value_type empty
  element without type or content  xs:anyType: value_type any (text or children, checked laxly)
  xs:attribute, xs:any, substitutionGroup, xs:extension   none in the WBXML files (attributes
                                 only in the Autodiscover files, which are plain XML with no code
                                 page and are skipped); any of them is an import error
  nillable                       ignored (WBXML has no xsi:nil)
The flattening only ever widens what the XSD accepts (an unordered block, a relaxed minOccurs),
never narrows it; each widening is listed in the row's `relaxed` column.
"""

from __future__ import annotations

import io
import os
import xml.etree.ElementTree as ET

XS = "{http://www.w3.org/2001/XMLSchema}"
UNBOUNDED = None

# XSD builtin -> value_type (MS-ASDTYPE 2.1 .. 2.7 names where they exist).
BUILTINS = {
    "xs:string": "string",
    "xs:integer": "integer",
    "xs:int": "int",
    "xs:unsignedByte": "unsignedByte",
    "xs:unsignedShort": "unsignedShort",
    "xs:unsignedInt": "unsignedInt",
    "xs:boolean": "boolean",
    "xs:dateTime": "dateTime",
    "xs:double": "double",
}

# Responses in the XSD set: global root element -> command (MS-ASCMD 2.2.1 names).
RESPONSE_ROOTS = {
    ("AirSync", "Sync"): "Sync",
    ("FolderHierarchy", "FolderSync"): "FolderSync",
    ("FolderHierarchy", "FolderCreate"): "FolderCreate",
    ("FolderHierarchy", "FolderDelete"): "FolderDelete",
    ("FolderHierarchy", "FolderUpdate"): "FolderUpdate",
    ("FolderHierarchy", "Folders"): "GetHierarchy",
    ("GetItemEstimate", "GetItemEstimate"): "GetItemEstimate",
    ("ItemOperations", "ItemOperations"): "ItemOperations",
    ("MeetingResponse", "MeetingResponse"): "MeetingResponse",
    ("Move", "MoveItems"): "MoveItems",
    ("Ping", "Ping"): "Ping",
    ("Provision", "Provision"): "Provision",
    ("ResolveRecipients", "ResolveRecipients"): "ResolveRecipients",
    ("Search", "Search"): "Search",
    ("Find", "Find"): "Find",
    ("ComposeMail", "SendMail"): "SendMail",
    ("ComposeMail", "SmartForward"): "SmartForward",
    ("ComposeMail", "SmartReply"): "SmartReply",
    ("Settings", "Settings"): "Settings",
    ("ValidateCert", "ValidateCert"): "ValidateCert",
}

# XSD element names that differ from the MS-ASWBXML tag of the same element: (namespace, XSD
# name) -> tag. ComposeMail: NOTES.md section 1 (the Name row lacks its xsd_name note). Contacts:
# the GhostingProps/TopLevelSchemaProps groups (Supported, Search and ItemOperations Schema)
# spell phone tags the Z-Push way, "AssistnamePhoneNumber" with its typo, and WebPage as Webpage;
# the same groups name AssistantPhoneNumber once more under its spec name. An alias that no
# longer matches an XSD name is an import error.
XSD_ALIASES = {
    ("ComposeMail", "ForwardeeName"): "Name",
    ("Contacts", "AssistnamePhoneNumber"): "AssistantPhoneNumber",
    ("Contacts", "AssistantTelephoneNumber"): "AssistantPhoneNumber",
    ("Contacts", "BusinessTelephoneNumber"): "BusinessPhoneNumber",
    ("Contacts", "Business2TelephoneNumber"): "Business2PhoneNumber",
    ("Contacts", "CarTelephoneNumber"): "CarPhoneNumber",
    ("Contacts", "HomeTelephoneNumber"): "HomePhoneNumber",
    ("Contacts", "Home2TelephoneNumber"): "Home2PhoneNumber",
    ("Contacts", "MobileTelephoneNumber"): "MobilePhoneNumber",
    ("Contacts", "RadioTelephoneNumber"): "RadioPhoneNumber",
    ("Contacts", "Webpage"): "WebPage",
}

COLUMNS = {
    "model": "uint: parent content model (0 = global declarations, see meta.models)",
    "parent_codepage": "uint|null: code page of the element that owns the model (null for 0)",
    "parent_tag": "string|null: its tag (first element found with that model)",
    "child_codepage": "uint: code page of the child element",
    "child_tag": "string: child tag as MS-ASWBXML writes it",
    "child_token": "uint: child tag token",
    "child_model": "uint|null: the child's content model; null for a leaf",
    "order": "uint: position in the parent's sequence; children with equal order may interleave",
    "min_occurs": "uint: minimum occurrences (within its branch when choice is set)",
    "max_occurs": "uint|null: maximum occurrences; null = unbounded",
    "choice": "uint|null: exclusive choice group within the model (1..)",
    "branch": "uint|null: alternative of that choice the child belongs to",
    "choice_required": "bool: the choice must take a branch",
    "value_type": "string: container, empty, string, integer, int, unsignedByte, unsignedShort, "
                  "unsignedInt, double, boolean, dateTime, any (xs:anyType)",
    "allow_empty": "bool: an empty value is also valid (xs:union with EmptyTag)",
    "enumeration": "array of string: allowed values ([] = any)",
    "min_inclusive": "int|null",
    "max_inclusive": "int|null",
    "min_length": "uint|null",
    "max_length": "uint|null",
    "pattern": "string|null: XSD pattern (only [0-9]{m,n}-[0-9]{m,n} ranges occur)",
    "relaxed": "array of string: how flattening widened the XSD rule for this row",
    "response_only": "bool: the child's declaration is in a *Response.xsd file (a global of "
                     "model 0 that lax request validation must not use)",
    "xsd": "string: file of the child's declaration",
}


class SchemaError(Exception):
    pass


def mul(a, b):
    """maxOccurs product; None = unbounded."""
    if a == 0 or b == 0:
        return 0
    return UNBOUNDED if a is UNBOUNDED or b is UNBOUNDED else a * b


class Decl:
    """A resolved element declaration."""

    def __init__(self, ns, name, node, file):
        self.ns, self.name, self.node, self.file = ns, name, node, file


class Builder:
    def __init__(self, files, tags, legacy):
        # files: [(name, bytes)]; tags/legacy: rows of the code page tables
        self.tag_of = {}
        for r in legacy:
            self.tag_of[(r["namespace"], r["tag"])] = (r["codepage"], r["tag"], r["token"], True)
        for r in tags:
            key = (r["namespace"], r["xsd_name"] or r["tag"])
            self.tag_of[key] = (r["codepage"], r["tag"], r["token"], False)
        self.page_ns = {r["codepage"]: r["namespace"] for r in tags}
        self.elements, self.ctypes, self.stypes, self.groups = {}, {}, {}, {}
        self.aliases_used = set()
        self.skipped = []
        self.order = []  # global elements in file order
        for name, data in files:
            self.load(name, data)
        self.models = []  # [{"id", "path", "mixed", "key"}]
        self.model_of = {}  # key -> id
        self.rows = []
        self.pending = []

    # ---------------------------------------------------------------- loading
    def load(self, name, data):
        prefixes = {}
        root = None
        for ev, item in ET.iterparse(io.BytesIO(data), events=("start-ns", "start")):
            if ev == "start-ns":
                prefixes[item[0]] = item[1]
            elif root is None:
                root = item
        tns = root.get("targetNamespace", "")
        if tns not in self.page_ns.values():
            self.skipped.append(f"{name} (namespace {tns or '(none)'} has no WBXML code page)")
            return
        for node in root.iter():
            tag = node.tag.replace(XS, "xs:")
            if tag in ("xs:any", "xs:extension", "xs:attribute", "xs:anyAttribute") or \
                    node.get("substitutionGroup"):
                raise SchemaError(f"{name}: {tag} is not handled by the flattener")
        ctx = {"file": name, "ns": tns, "prefixes": prefixes}
        for node in root:
            kind = node.tag.replace(XS, "xs:")
            key = (tns, node.get("name"))
            table = {"xs:element": self.elements, "xs:complexType": self.ctypes,
                     "xs:simpleType": self.stypes, "xs:group": self.groups}.get(kind)
            if table is None:
                raise SchemaError(f"{name}: top-level {kind} not handled")
            if key in table:
                raise SchemaError(f"{name}: {kind} {key} declared twice in the set")
            node.set("{oxwire}file", name)
            table[key] = (node, ctx)
            if kind == "xs:element":
                self.order.append(key)

    def qname(self, text, ctx):
        """prefix:Name -> (ns, Name); unprefixed names are in the default namespace."""
        if text.startswith("xs:"):
            return ("xs", text[3:])
        prefix, _, local = text.rpartition(":")
        ns = ctx["prefixes"].get(prefix)
        if ns is None:
            raise SchemaError(f"{ctx['file']}: prefix {prefix!r} of {text} is not declared")
        return (ns, local)

    def ident(self, ns, name, file):
        if (ns, name) in XSD_ALIASES:
            self.aliases_used.add((ns, name))
            name = XSD_ALIASES[(ns, name)]
        t = self.tag_of.get((ns, name))
        if t is None:
            raise SchemaError(f"{file}: element {ns}:{name} has no WBXML token")
        return t

    # ---------------------------------------------------------------- simple types
    def simple(self, node, ctx, type_attr):
        """Value facts of a leaf: from type= or an anonymous xs:simpleType child."""
        v = {"value_type": "string", "allow_empty": False, "enumeration": [],
             "min_inclusive": None, "max_inclusive": None, "min_length": None,
             "max_length": None, "pattern": None}
        if type_attr is not None:
            if type_attr in BUILTINS:
                v["value_type"] = BUILTINS[type_attr]
                return v
            key = self.qname(type_attr, ctx)
            if key not in self.stypes:
                raise SchemaError(f"{ctx['file']}: unknown simple type {type_attr}")
            st, sctx = self.stypes[key]
            if key[1] == "EmptyTag":
                v["value_type"] = "empty"
                return v
            return self.simple_node(st, sctx, v)
        return self.simple_node(node, ctx, v)

    def simple_node(self, st, ctx, v):
        union = st.find(XS + "union")
        if union is not None:
            members = union.get("memberTypes").split()
            base = [m for m in members if not m.endswith(":EmptyTag")]
            if len(base) != 1 or len(members) != 2:
                raise SchemaError(f"{ctx['file']}: union {members} not handled")
            v = self.simple(None, ctx, base[0])
            v["allow_empty"] = True
            return v
        r = st.find(XS + "restriction")
        if r is None:
            raise SchemaError(f"{ctx['file']}: simpleType without restriction")
        base = r.get("base")
        if base in BUILTINS:
            v["value_type"] = BUILTINS[base]
        else:
            v.update(self.simple(None, ctx, base))
        for f in r:
            k, val = f.tag.replace(XS, ""), f.get("value")
            if k == "enumeration":
                v["enumeration"].append(val)
            elif k in ("minInclusive", "maxInclusive"):
                v["min_inclusive" if k[1] == "i" else "max_inclusive"] = int(val)
            elif k in ("minLength", "maxLength"):
                v["min_length" if k[1] == "i" else "max_length"] = int(val)
            elif k == "pattern":
                v["pattern"] = val
            else:
                raise SchemaError(f"{ctx['file']}: facet {k} not handled")
        if v["value_type"] == "string" and v["max_length"] == 0:
            v["value_type"], v["max_length"] = "empty", None
        return v

    # ---------------------------------------------------------------- models
    def resolve(self, node, ctx):
        """An xs:element particle -> (Decl, ctx of the declaration)."""
        ref = node.get("ref")
        if ref is not None:
            key = self.qname(ref, ctx)
            if key not in self.elements:
                raise SchemaError(f"{ctx['file']}: ref {ref} is not declared in the set")
            g, gctx = self.elements[key]
            return Decl(key[0], key[1], g, gctx["file"]), gctx
        return Decl(ctx["ns"], node.get("name"), node, ctx["file"]), ctx

    def content(self, decl, ctx):
        """(model key, complexType node, ctx) or None for a simple (leaf) declaration."""
        t = decl.node.get("type")
        if t is not None:
            key = self.qname(t, ctx)
            if key in self.ctypes:
                node, cctx = self.ctypes[key]
                return (("type",) + key, node, cctx)
            return None
        ct = decl.node.find(XS + "complexType")
        if ct is None:
            return None
        return (("decl", decl.file, id(ct)), ct, ctx)

    def model_id(self, key, ct, ctx, path, owner):
        if key in self.model_of:
            return self.model_of[key]
        mid = len(self.models)
        self.model_of[key] = mid
        self.models.append({"id": mid, "path": path, "mixed": ct.get("mixed") == "true",
                            "owner": owner})
        self.pending.append((mid, ct, ctx, path, owner))
        return mid

    def leaf_or_model(self, decl, dctx, path):
        c = self.content(decl, dctx)
        page, tag, tok, _ = self.ident(decl.ns, decl.name, decl.file)
        if c is None:
            st, t = decl.node.find(XS + "simpleType"), decl.node.get("type")
            if st is None and t is None:  # no type at all: xs:anyType (IsInline, Send)
                v = self.simple(None, dctx, "xs:string")
                v["value_type"] = "any"
                return None, v
            return None, self.simple(st, dctx, t)
        key, ct, cctx = c
        if key[0] == "type" and key[2] == "EmptyTag":  # Find.xsd: complexType EmptyTag (no content)
            v = self.simple(None, cctx, "xs:string")
            v["value_type"] = "empty"
            return None, v
        v = self.simple(None, dctx, "xs:string")
        v["value_type"] = "container"
        return self.model_id(key, ct, cctx, path, (page, tag)), v

    def occurs(self, node):
        lo = int(node.get("minOccurs", "1"))
        hi = node.get("maxOccurs", "1")
        return lo, (UNBOUNDED if hi == "unbounded" else int(hi))

    def particles(self, node, ctx, state):
        """Items of a particle: [{decl, dctx, min, max, order, choice, branch, relaxed}]."""
        kind = node.tag.replace(XS, "")
        lo, hi = self.occurs(node)
        if kind == "element":
            decl, dctx = self.resolve(node, ctx)
            return [{"decl": decl, "dctx": dctx, "min": lo, "max": hi, "order": 0,
                     "choice": None, "branch": None, "relaxed": []}], 1
        if kind == "group":
            g, gctx = self.groups[self.qname(node.get("ref"), ctx)]
            body = [c for c in g if c.tag != XS + "annotation"]
            if len(body) != 1:
                raise SchemaError(f"{ctx['file']}: group {node.get('ref')} body not handled")
            items, width = self.particles(body[0], gctx, state)
            return self.scale(items, width, lo, hi, "group")
        kids = [c for c in node if c.tag != XS + "annotation"]
        items, width = [], 0
        if kind == "sequence":
            for k in kids:
                sub, w = self.particles(k, ctx, state)
                for it in sub:
                    it["order"] += width
                items += sub
                width += w
            return self.scale(items, width, lo, hi, "sequence")
        if kind == "all":
            for k in kids:
                sub, _ = self.particles(k, ctx, state)
                items += sub
            for it in items:
                it["order"] = 0
            return self.scale(items, 1, lo, hi, "all")
        if kind == "choice":
            branches = []
            for k in kids:
                sub, w = self.particles(k, ctx, state)
                if w > 1:
                    for it in sub:
                        if it["order"]:
                            it["relaxed"].append("sequence inside a choice made unordered")
                        it["order"] = 0
                branches.append(sub)
            if hi == 1:
                state["choices"] += 1
                cid = state["choices"]
                required = lo >= 1 and all(any(it["min"] >= 1 for it in b) for b in branches)
                for b, sub in enumerate(branches, start=1):
                    for it in sub:
                        if it["choice"] is not None:
                            it["relaxed"].append("nested exclusive choice merged into the outer")
                        it["choice"], it["branch"], it["required"] = cid, b, required
                        items.append(it)
                if lo == 0:
                    for it in items:
                        it["required"] = False
                return items, 1
            for sub in branches:
                for it in sub:
                    if it["min"]:
                        it["relaxed"].append("minOccurs dropped inside a repeated choice")
                    it["min"] = 0
                    it["max"] = mul(it["max"], hi)
                    if it["choice"] is not None:
                        it["relaxed"].append("exclusive choice inside a repeated choice dropped")
                        it["choice"] = it["branch"] = None
                    items.append(it)
            return items, 1
        raise SchemaError(f"{ctx['file']}: compositor {kind} not handled")

    def scale(self, items, width, lo, hi, what):
        for it in items:
            it["min"] *= lo
            it["max"] = mul(it["max"], hi)
        if hi is not None and hi <= 1:
            return items, width
        if width > 1:
            for it in items:
                it["relaxed"].append(f"repeated {what} made unordered")
                it["order"] = 0
        return items, 1

    def build_model(self, mid, ct, ctx, path, owner):
        body = [c for c in ct if c.tag not in (XS + "annotation", XS + "attribute")]
        if len(body) > 1:
            raise SchemaError(f"{ctx['file']}: complexType with {len(body)} particles")
        items = []
        state = {"choices": 0}
        if body:
            items, _ = self.particles(body[0], ctx, state)
        # Merge repeated children (same (page, tag)).
        merged, by_key = [], {}
        for it in items:
            page, tag, tok, _ = self.ident(it["decl"].ns, it["decl"].name, it["decl"].file)
            it["key"] = (page, tok)
            if it["key"] in by_key:
                first = by_key[it["key"]]
                if first["decl"].node is not it["decl"].node:
                    if self.content(first["decl"], first["dctx"]) is not None or \
                            self.content(it["decl"], it["dctx"]) is not None:
                        raise SchemaError(f"{ctx['file']}: {path} has two different "
                                          f"declarations of {tag}")
                lo_o, hi_o = sorted((first["order"], it["order"]))
                for other in items:
                    if lo_o <= other["order"] <= hi_o:
                        other["order"] = lo_o
                if first["choice"] != it["choice"] or first["branch"] != it["branch"]:
                    first["choice"] = first["branch"] = None
                    first["required"] = False
                    first["min"] = 0
                else:
                    first["min"] += it["min"]
                first["max"] = UNBOUNDED if UNBOUNDED in (first["max"], it["max"]) \
                    else first["max"] + it["max"]
                first["relaxed"].append("declared more than once; occurrences merged")
                continue
            by_key[it["key"]] = it
            merged.append(it)
        # Renumber orders densely.
        dense = {o: i for i, o in enumerate(sorted({it["order"] for it in merged}))}
        for it in merged:
            self.emit(mid, owner, it["decl"], it["dctx"], path, dense[it["order"]], it["min"],
                      it["max"], it["choice"], it["branch"], it.get("required", False),
                      sorted(set(it["relaxed"])))

    def emit(self, mid, owner, decl, dctx, path, order, lo, hi, choice, branch, required, relaxed):
        page, tag, tok, _ = self.ident(decl.ns, decl.name, decl.file)
        prefix = "" if owner is None or page == owner[0] else self.page_ns[page] + ":"
        child_path = f"{path}/{prefix}{tag}" if path else tag
        child, v = self.leaf_or_model(decl, dctx, child_path)
        self.rows.append({
            "model": mid,
            "parent_codepage": owner[0] if owner else None,
            "parent_tag": owner[1] if owner else None,
            "child_codepage": page,
            "child_tag": tag,
            "child_token": tok,
            "child_model": child,
            "order": order,
            "min_occurs": lo,
            "max_occurs": hi,
            "choice": choice,
            "branch": branch,
            "required": required,
            **v,
            "relaxed": relaxed,
            "response_only": decl.file.endswith("Response.xsd"),
            "xsd": decl.file,
        })

    def run(self):
        self.models.append({"id": 0, "path": "", "mixed": False, "owner": None})
        for key in self.order:
            node, ctx = self.elements[key]
            decl = Decl(key[0], key[1], node, ctx["file"])
            page = self.ident(key[0], key[1], ctx["file"])[0]
            self.emit(0, None, decl, ctx, "", 0, 0, UNBOUNDED, None, None, False, [])
            _ = page
        while self.pending:
            mid, ct, ctx, path, owner = self.pending.pop(0)
            self.build_model(mid, ct, ctx, path, owner)
        rows = sorted(self.rows, key=lambda r: (r["model"], r["child_codepage"], r["child_token"]))
        for r in rows:
            r["choice_required"] = r.pop("required")
        cols = list(COLUMNS)
        rows = [{k: r[k] for k in cols} for r in rows]
        globals_ = {(r["child_codepage"], r["child_tag"]): r for r in rows if r["model"] == 0}
        roots = []
        for (ns, name), command in sorted(RESPONSE_ROOTS.items(), key=lambda kv: kv[1]):
            if (ns, name) not in self.elements:
                raise SchemaError(f"response root {ns}:{name} is not declared")
            page, tag, tok, _ = self.tag_of[(ns, name)]
            g = globals_[(page, tag)]
            roots.append({"command": command, "direction": "response", "codepage": page,
                          "tag": tag, "token": tok, "model": g["child_model"]})
        for a in sorted(set(XSD_ALIASES) - self.aliases_used):
            raise SchemaError(f"alias {a} matches no XSD element")
        models = [{"id": m["id"], "path": m["path"], "mixed": m["mixed"]} for m in self.models]
        return rows, models, roots


def build(files, tags, legacy):
    """files: [(name, bytes)] of the XSDs; returns (rows, meta, notes)."""
    b = Builder(files, tags, legacy)
    rows, models, roots = b.run()
    meta = {"models": models, "roots": roots,
            "requests": "The XSD set has no request schemas: request roots are validated laxly "
                        "(globally declared elements inside them are checked)."}
    notes = [f"schema.json: skipped {s}" for s in b.skipped]
    return rows, meta, notes, COLUMNS


if __name__ == "__main__":  # debugging aid: python3 specs/xsd_schema.py DIR
    import json
    import sys
    d = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "activesync/wbxml-codepages.json")) as f:
        t = json.load(f)["rows"]
    with open(os.path.join(here, "activesync/wbxml-codepages-legacy.json")) as f:
        lg = json.load(f)["rows"]
    fs = []
    for n in sorted(os.listdir(d)):
        if n.endswith(".xsd"):
            with open(os.path.join(d, n), "rb") as f:
                fs.append((n, f.read()))
    rows, meta, notes, _ = build(fs, t, lg)
    print(len(rows), len(meta["models"]), notes)
