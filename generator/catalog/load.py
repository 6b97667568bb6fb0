"""Load a catalog file (YAML) into typed objects, validating it and naming the place of each fault."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable, Optional

import yaml

from generator.catalog.model import (
    INPUT_TYPES, LEVELS, Cases, Catalog, Check, Composite, Condition, Criterion, Derived, Group, Indicator,
    Input, Milestone, OnZero, Rule, Threshold, Tier, Tiered,
)
from generator.catalog.walk import CatalogError, Reader, parse_date
from generator.problems import Problem

KEY_RE = re.compile(r"^[A-Za-z0-9_]+$")
DERIVED_KINDS = {"ratio": 2, "growth": 2, "reduction": 2, "min": None, "const": 0}
EVIDENCE_LABEL = "หลักฐานอ้างอิง / หมายเหตุ"

#: libyaml's safe loader where PyYAML was built with it (8× quicker on the catalog), else the Python one
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _IndicatorReader:
    """Parses one indicator, checking every reference against its own inputs and derived values."""

    def __init__(self, r: Reader, raw: dict, where: str, input_types: dict[str, str]):
        self.r = r
        self.raw = raw
        self.where = where
        self.input_types = input_types
        self.code = str(raw.get("code", "?"))
        self.names: set[str] = set()
        self.derived_names: set[str] = set()
        self.inputs_cache: tuple[Input, ...] = ()

    def inputs(self) -> tuple[Input, ...]:
        """The indicator's inputs plus its ``<code>_evidence`` text input."""
        out = []
        for i, raw in enumerate(self.raw.get("inputs") or []):
            where = f"{self.where}.inputs[{i}]"
            f = self.r.fields(raw, where, {"key", "type", "label", "unit", "prefill", "help"}, {"key", "type", "label"})
            key = str(f.get("key", ""))
            if not KEY_RE.match(key) or not key.startswith(self.code + "_"):
                self.r.fault(where, f"คีย์ '{key}' ต้องขึ้นต้นด้วย {self.code}_ และใช้ [A-Za-z0-9_] (bad input key)")
            if key in self.input_types:
                self.r.fault(where, f"คีย์ '{key}' ซ้ำ (duplicate input key)")
            typ = f.get("type")
            if typ not in INPUT_TYPES:
                self.r.fault(where, f"ชนิด {typ!r} ไม่ถูกต้อง (type must be one of {', '.join(INPUT_TYPES)})")
            self.input_types[key] = str(typ)
            out.append(Input(key, str(typ), self.r.text(f.get("label"), f"{where}.label"), str(f.get("unit", "") or ""),
                             self.code, bool(f.get("prefill", False)), str(f.get("help", "") or "")))
        evidence = f"{self.code}_evidence"
        if evidence not in self.input_types:
            self.input_types[evidence] = "text"
            out.append(Input(evidence, "text", EVIDENCE_LABEL, "", self.code))
        self.names = {i.key for i in out}
        return tuple(out)

    def ref(self, name: Any, where: str, types: tuple[str, ...] = ("money", "int", "pct", "derived")) -> str:
        """A reference to one of the indicator's values, of an allowed type."""
        typ = "derived" if name in self.derived_names else self.input_types.get(name) if name in self.names else None
        if typ is None:
            self.r.fault(where, f"อ้างถึง '{name}' ที่ไม่มีในตัวชี้วัด {self.code} (unknown value)")
        elif typ not in types:
            self.r.fault(where, f"'{name}' เป็นชนิด {typ} ใช้ที่นี่ไม่ได้ (expected {', '.join(types)})")
        return str(name)

    def derived(self) -> tuple[Derived, ...]:
        """The derived values, in order (a derived value may use an earlier one)."""
        out = []
        self.derived_names = set()
        for i, raw in enumerate(self.raw.get("derived") or []):
            where = f"{self.where}.derived[{i}]"
            f = self.r.fields(raw, where, {"name", "kind", "of", "label", "unit", "value", "on_zero"}, {"name", "kind", "label"})
            kind = f.get("kind")
            args = tuple(f.get("of") or ())
            if kind not in DERIVED_KINDS:
                self.r.fault(where, f"ชนิด {kind!r} ไม่ถูกต้อง (kind must be one of {', '.join(DERIVED_KINDS)})")
            elif DERIVED_KINDS[kind] is not None and len(args) != DERIVED_KINDS[kind]:
                self.r.fault(where, f"{kind} ต้องมีค่า {DERIVED_KINDS[kind]} ตัว (of: needs {DERIVED_KINDS[kind]} values)")
            elif kind == "min" and len(args) < 2:
                self.r.fault(where, "min ต้องมีอย่างน้อย ๒ ค่า (of: needs at least 2 values)")
            for j, a in enumerate(args):
                self.ref(a, f"{where}.of[{j}]")
            name = str(f.get("name", ""))
            if name in self.names or name in self.derived_names:
                self.r.fault(where, f"ชื่อ '{name}' ซ้ำ (duplicate name)")
            constant = self.r.number(f["value"], f"{where}.value") if kind == "const" else None
            out.append(Derived(name, str(kind), args, self.r.text(f.get("label"), f"{where}.label"),
                               str(f.get("unit", "ร้อยละ")), constant, self.on_zero(f.get("on_zero"), f"{where}.on_zero")))
            self.derived_names.add(name)
        return tuple(out)

    def on_zero(self, raw: Any, where: str) -> Optional[OnZero]:
        """What a zero denominator means instead of a data error."""
        if raw is None:
            return None
        f = self.r.fields(raw, where, {"use", "level", "note"}, {"note"})
        level = f.get("level")
        if level is not None and level not in (0,) + LEVELS:
            self.r.fault(where, f"ระดับ {level!r} ไม่ถูกต้อง (level must be 0..5)")
        use = self.r.number(f["use"], f"{where}.use") if "use" in f else None
        return OnZero(use, level, self.r.text(f.get("note"), f"{where}.note"))

    def checks(self) -> tuple[Check, ...]:
        """The consistency checks between values."""
        out = []
        for i, raw in enumerate(self.raw.get("checks") or []):
            where = f"{self.where}.checks[{i}]"
            f = self.r.fields(raw, where, {"left", "op", "right", "severity", "message"}, {"left", "op", "right", "severity", "message"})
            if f.get("severity") not in ("error", "warning"):
                self.r.fault(where, "severity ต้องเป็น error หรือ warning")
            right = f.get("right")
            right = float(right) if isinstance(right, (int, float)) and not isinstance(right, bool) else self.ref(right, f"{where}.right")
            out.append(Check(self.ref(f.get("left"), f"{where}.left"), self.r.op(f.get("op"), f"{where}.op"),
                             right, "warning" if f.get("severity") == "warning" else "error",  # anything else is a fault
                             self.r.text(f.get("message"), f"{where}.message")))
        return tuple(out)

    def condition(self, raw: Any, where: str) -> Condition:
        """A milestone item or gate."""
        f = self.r.fields(raw, where, {"tick", "value", "op", "target", "date", "by", "label"}, set())
        if not f:
            return Condition(label="")
        if not ({"tick", "value", "date"} & set(f)):
            self.r.fault(where, "ต้องมี tick, value หรือ date อย่างน้อยหนึ่งอย่าง (needs tick, value or date)")
        tick = self.ref(f["tick"], f"{where}.tick", ("bool",)) if "tick" in f else None
        value = self.ref(f["value"], f"{where}.value") if "value" in f else None
        if value is not None and not {"op", "target"} <= set(f):
            self.r.fault(where, "value ต้องมี op และ target (value needs op and target)")
        date = self.ref(f["date"], f"{where}.date", ("date",)) if "date" in f else None
        by = None
        if date is not None:
            try:
                by = parse_date(f["by"])
            except (KeyError, ValueError):
                self.r.fault(where, "date ต้องมี by เป็นวันที่ YYYY-MM-DD (date needs a deadline 'by')")
        label = f.get("label")
        if label is None and tick is not None:
            label = next((i.label for i in self.inputs_cache if i.key == tick), None)
        return Condition(self.r.text(label, f"{where}.label"), tick, value,
                         self.r.op(f["op"], f"{where}.op") if "op" in f else None,
                         self.r.number(f["target"], f"{where}.target") if "target" in f else None, date, by)

    def conditions(self, raw: Any, where: str) -> tuple[Condition, ...]:
        """A list of conditions."""
        if not isinstance(raw, list) or not raw:
            self.r.fault(where, "ต้องเป็นรายการที่ไม่ว่าง (expected a non-empty list)")
            return ()
        return tuple(self.condition(c, f"{where}[{i}]") for i, c in enumerate(raw))

    def thresholds(self, raw: Any, where: str, op: str, allow_none: bool) -> tuple[Optional[float], ...]:
        """Five monotone thresholds (None allowed for gate-only levels when ``allow_none``)."""
        if not isinstance(raw, list) or len(raw) != 5:
            self.r.fault(where, "ต้องมีเกณฑ์ ๕ ค่า สำหรับระดับ 1..5 (expected 5 thresholds)")
            return (0.0,) * 5
        values = tuple(None if (v is None and allow_none) else self.r.number(v, f"{where}[{i}]") for i, v in enumerate(raw))
        present = [v for v in values if v is not None]
        rising = op in (">=", ">", "==")
        for a, b in zip(present, present[1:]):
            if (b < a) if rising else (b > a):
                self.r.fault(where, f"เกณฑ์ไม่เป็นลำดับ (thresholds not monotone for {op}): {list(raw)}")
                break
        return values

    def rule(self, raw: Any, where: str) -> Rule:
        """A level rule of any kind."""
        kind = raw.get("kind") if isinstance(raw, dict) else None
        parsers: dict[str, Callable[[Any, str], Rule]] = {
            "threshold": self.threshold, "tiered": self.tiered, "milestone": self.milestone,
            "composite": self.composite, "cases": self.cases}
        parse = parsers.get(str(kind))
        if parse is None:
            self.r.fault(where, f"ชนิดเกณฑ์ {kind!r} ไม่ถูกต้อง (kind must be threshold, tiered, milestone, composite or cases)")
            return Milestone({})
        return parse(raw, where)

    def threshold(self, raw: dict, where: str) -> Threshold:
        """A threshold rule, with gates."""
        f = self.r.fields(raw, where, {"kind", "value", "op", "thresholds", "gates", "undefined"}, {"kind", "value", "op", "thresholds"})
        op = self.r.op(f.get("op"), f"{where}.op")
        gates = self.r.level_map(f.get("gates") or {}, f"{where}.gates", self.conditions, full=False)
        undefined = f.get("undefined", "error")
        if undefined not in ("error", "fails"):
            self.r.fault(f"{where}.undefined", "ต้องเป็น error หรือ fails")
        return Threshold(self.ref(f.get("value"), f"{where}.value"), op,
                         self.thresholds(f.get("thresholds"), f"{where}.thresholds", op, allow_none=bool(gates)),
                         gates, undefined == "fails")

    def tiered(self, raw: dict, where: str) -> Tiered:
        """A tiered threshold rule."""
        f = self.r.fields(raw, where, {"kind", "value", "op", "tier_by", "tiers"}, {"kind", "value", "op", "tier_by", "tiers"})
        op = self.r.op(f.get("op"), f"{where}.op")
        tiers = []
        for i, t in enumerate(f.get("tiers") or []):
            tw = f"{where}.tiers[{i}]"
            tf = self.r.fields(t, tw, {"max", "thresholds"}, {"thresholds"})
            mx = self.r.number(tf["max"], f"{tw}.max") if tf.get("max") is not None else None
            values = self.thresholds(tf.get("thresholds"), f"{tw}.thresholds", op, False)
            tiers.append(Tier(mx, tuple(v for v in values if v is not None)))  # numbers only: allow_none is False
        if not tiers or tiers[-1].max is not None:
            self.r.fault(f"{where}.tiers", "ชั้นสุดท้ายต้องไม่มี max (the last tier must have no max)")
        return Tiered(self.ref(f.get("value"), f"{where}.value"), op, self.ref(f.get("tier_by"), f"{where}.tier_by"), tuple(tiers))

    def milestone(self, raw: dict, where: str) -> Milestone:
        """A cumulative milestone rule."""
        f = self.r.fields(raw, where, {"kind", "levels"}, {"kind", "levels"})
        return Milestone(self.r.level_map(f.get("levels"), f"{where}.levels", self.conditions, full=True))

    def composite(self, raw: dict, where: str) -> Composite:
        """An all-of composite rule."""
        f = self.r.fields(raw, where, {"kind", "criteria"}, {"kind", "criteria"})
        out = []
        for i, c in enumerate(f.get("criteria") or []):
            cw = f"{where}.criteria[{i}]"
            cf = self.r.fields(c, cw, {"name", "label", "value", "op", "thresholds"}, {"name", "label", "value", "op", "thresholds"})
            rule = self.threshold({"kind": "threshold", **{k: cf.get(k) for k in ("value", "op", "thresholds")}}, cw)
            out.append(Criterion(str(cf.get("name")), self.r.text(cf.get("label"), f"{cw}.label"), rule))
        if not out:
            self.r.fault(where, "ต้องมีเกณฑ์ย่อยอย่างน้อยหนึ่งข้อ (needs criteria)")
        return Composite(tuple(out))

    def cases(self, raw: dict, where: str) -> Cases:
        """A rule chosen by a bool input."""
        f = self.r.fields(raw, where, {"kind", "switch", "when_true", "when_false"}, {"kind", "switch", "when_true", "when_false"})
        return Cases(self.ref(f.get("switch"), f"{where}.switch", ("bool",)),
                     self.rule(f.get("when_true"), f"{where}.when_true"),
                     self.rule(f.get("when_false"), f"{where}.when_false"))

    def indicator(self, groups: set[str]) -> Indicator:
        """The whole indicator."""
        f = self.r.fields(self.raw, self.where, {"code", "group", "number", "title", "weight", "unit", "inputs",
                                                 "derived", "checks", "rule", "levels"},
                          {"code", "group", "title", "weight", "rule", "levels"})
        if f.get("group") not in groups:
            self.r.fault(f"{self.where}.group", f"กลุ่ม {f.get('group')!r} ไม่มีใน groups (unknown group)")
        inputs = self.inputs()
        self.inputs_cache = inputs
        derived = self.derived()
        checks = self.checks()
        rule = self.rule(f.get("rule"), f"{self.where}.rule")
        levels = self.r.level_map(f.get("levels"), f"{self.where}.levels", self.r.text, full=True)
        weight = self.r.number(f.get("weight"), f"{self.where}.weight") or 0.0
        if weight <= 0:
            self.r.fault(f"{self.where}.weight", "น้ำหนักต้องมากกว่า 0 (weight must be > 0)")
        return Indicator(self.code, str(f.get("group")), int(f.get("number") or 0),
                         self.r.text(f.get("title"), f"{self.where}.title"), weight, str(f.get("unit", "") or ""),
                         inputs, derived, checks, rule, levels)


def load_catalog(path: Path | str) -> tuple[Catalog, list[Problem]]:
    """Load and validate a catalog file: (catalog, warnings); raise CatalogError on any error."""
    path = Path(path)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except FileNotFoundError:
        raise CatalogError([Problem("error", "catalog-missing", f"ไม่พบไฟล์ catalog (catalog file not found): {path}",
                                    file=str(path))]) from None
    except yaml.YAMLError as e:
        raise CatalogError([Problem("error", "catalog-syntax", f"ไฟล์ catalog อ่านไม่ได้ (YAML syntax): {e}",
                                    file=str(path))]) from None
    return parse_catalog(raw, path.name)


def parse_catalog(raw: Any, source: str = "catalog") -> tuple[Catalog, list[Problem]]:
    """Validate a catalog already parsed from YAML: (catalog, warnings); raise CatalogError on any error."""
    r = Reader(source)
    f = r.fields(raw, "catalog", {"id", "title", "groups", "indicators", "keep_together"}, {"id", "groups", "indicators"})
    groups = []
    for i, g in enumerate(f.get("groups") or []):
        gf = r.fields(g, f"groups[{i}]", {"key", "name"}, {"key", "name"})
        groups.append(Group(str(gf.get("key")), r.text(gf.get("name"), f"groups[{i}].name")))
    group_keys = {g.key for g in groups}
    input_types: dict[str, str] = {}
    indicators, codes = [], set()
    for i, raw_ind in enumerate(f.get("indicators") or []):
        code = raw_ind.get("code", "?") if isinstance(raw_ind, dict) else "?"
        where = f"indicators[{i}] ({code})"
        if code in codes:
            r.fault(where, f"รหัสตัวชี้วัด '{code}' ซ้ำ (duplicate indicator code)")
        codes.add(code)
        indicators.append(_IndicatorReader(r, raw_ind if isinstance(raw_ind, dict) else {}, where, input_types).indicator(group_keys))
    if r.problems:
        raise CatalogError(r.problems)
    keep = tuple(r.text(t, f"keep_together[{i}]") for i, t in enumerate(f.get("keep_together") or []))
    catalog = Catalog(str(f["id"]), str(f.get("title", "")), tuple(groups), tuple(indicators), source, keep)
    return catalog, weight_warnings(catalog)


def weight_warnings(catalog: Catalog) -> list[Problem]:
    """A warning for each group whose weights do not sum to 100."""
    out = []
    for g in catalog.groups:
        total = sum(i.weight for i in catalog.in_group(g.key))
        if abs(total - 100) > 1e-9:
            shown = f"{total:g}"
            out.append(Problem("warning", "weights-not-100",
                               f"น้ำหนักของ{g.name} ({g.key}) รวมได้ {shown} ไม่ใช่ 100 "
                               f"(group '{g.key}' weights sum to {shown}, not 100); คะแนนรวมยังคิดเป็นค่าเฉลี่ยถ่วงน้ำหนัก",
                               file=catalog.source))
    return out
