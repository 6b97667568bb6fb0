"""The values the letter templates show: every number formatted by ``num``, Thai wording in the templates.

A renderer decides no level and computes no score: everything here is read from the RoundReport.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Optional, Sequence

from generator.config import TEMPLATES, Letter, Round
from generator.domain import SEVERITY_TH
from generator.render.letters_print import PrintFinish, make_finish
from generator.render.needs_text import Words, need_text, words
from generator.render.print_text import PRINT_WORDS, indicator_name, plain_problem, plain_sentence, still_to_do
from generator.report import RoundReport
from generator.score.compare import DistrictChange
from generator.score.ranking import Rank
from generator.score.results import DistrictResult, GroupTotal
from generator.thai import be_date, fmt_number, thai_digits, to_arabic

MAX_SCORE = 5
TOTAL_PLACES = 4        # group totals on the 1–5 scale (ties are decided at this precision)
PCT_PLACES = 2
SCORE_PLACES = 2
MEAN_PLACES = 2
SEVERITY = SEVERITY_TH
ACTING_FOR = "ปฏิบัติราชการแทน"
LIST_MAX = 10           # name at most this many districts in running text (a department-wide run has 878)
BAND_LIST_MAX = 30      # the memo names at most this many districts of a band below ดี (the rest are in its enclosure)
GOOD_BAND = "ดี"        # the memo names the districts of every band below this one
GARUDA_PLACEHOLDER = TEMPLATES / "letters" / "garuda-placeholder.png"
NO_NAME = "." * 40      # the memo's signature line when the head of the office is not named in round.toml


def num(value: float | int | None, places: Optional[int] = None, grouping: bool = True) -> str:
    """THE number format of the letters: Thai digits, thousands separators (not for years), '-' for no value."""
    text = fmt_number(value, places)
    return text if grouping else text.replace(",", "")


def year(value: int) -> str:
    """A year or a round number: ๒๕๖๕, never ๒,๕๖๕."""
    return num(value, 0, grouping=False)


def thai_join(items: Iterable[str]) -> str:
    """'ก', 'ก และ ข', 'ก ข และ ค': a Thai list."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    last = items[-1]
    return " ".join(items[:-1]) + (" และ " if last[:1].isascii() else " และ") + last


def period(start: dt.date, end: dt.date) -> str:
    """'๑ เมษายน - ๓๐ กันยายน ๒๕๖๕' (the start's year only when the years differ), as in the seed letter."""
    first = be_date(start)
    if start.year == end.year:
        first = first.rsplit(" ", 1)[0]
    return f"{first} - {be_date(end)}"


def districts_named(results: Sequence[DistrictResult]) -> str:
    """'อำเภอก อำเภอข และอำเภอค'."""
    return thai_join(f"อำเภอ{r.district.name}" for r in results)


# ------------------------------------------------------------------------------------------ shared
def _letter(letter: Letter) -> dict[str, Any]:
    return {"number": thai_digits(letter.number), "date": be_date(letter.date), "subject": thai_digits(letter.subject),
            "to": thai_digits(letter.to), "reference": thai_digits(letter.reference),
            "enclosure": thai_digits(letter.enclosure)}


def _contact(round_: Round) -> dict[str, str]:
    c = dict(round_.contact)
    out = {k: thai_digits(c.get(k, "")) for k in ("office", "group", "phone", "fax", "person")}
    out["email"] = c.get("email", "")          # an address keeps its Arabic digits
    out.update({k: v for k, v in c.items() if k not in out})
    return out


def _bands(round_: Round) -> list[dict[str, Any]]:
    bands = sorted(round_.bands, key=lambda b: -b.min)
    out = []
    for i, b in enumerate(bands):
        upper = bands[i - 1].min if i else None
        out.append({"name": b.name, "min": num(b.min), "below": num(upper) if b.min <= 0 and upper else ""})
    return out


def common(report: RoundReport, letter: Letter) -> dict[str, Any]:
    """What every letter and the memo share: round, office, letter heading, signer, contact."""
    from generator.render.trend_context import compare_facts

    r = report.round
    address = [thai_digits(a) for a in r.address]
    return {
        **_letter(letter),
        "head_first": address[0] if address else "", "head_rest": address[1:],
        "province": r.province, "office": r.office, "fiscal_year": year(r.fiscal_year), "round_no": year(r.number),
        "round_id": r.id, "period": period(r.period_start, r.period_end), "mode": report.mode,
        "signer": {"name": r.signer.name, "title_lines": [thai_digits(t) for t in r.signer.title_lines]},
        "contact": _contact(r), "max_score": num(MAX_SCORE), "pct_factor": num(100 / MAX_SCORE),
        "band_rules": _bands(r), "n_districts": num(len(report.results)), "n_scored": num(len(report.scored)),
        "n_missing": num(len(report.missing)), "missing": [d.district.name for d in report.missing],
        "missing_names": districts_named(report.missing),
        "missing_listed": districts_named(report.missing) if len(report.missing) <= LIST_MAX else "",
        "group_names": {g.key: g.name for g in report.catalog.groups},
        "draft": r.garuda is None,
        "compare": compare_facts(report.comparison),
    }


def _invalid(report: RoundReport) -> list[DistrictResult]:
    """Districts that sent a form in which some indicators could not be scored."""
    return [d for d in report.scored if d.status == "error"]


def _band_counts(report: RoundReport, group: str) -> list[dict[str, Any]]:
    """How many districts reached each band, best band first."""
    bands = sorted(report.round.bands, key=lambda b: -b.min)
    return [{"name": b.name, "count": num(sum(1 for d in report.scored
                                                if group in d.totals and d.totals[group].band == b.name))}
            for b in bands]


def _rank_row(r: Rank) -> dict[str, Any]:
    return {"rank": num(r.rank), "name": r.name, "code": r.code, "total": num(r.total, TOTAL_PLACES),
            "pct": num(r.pct, PCT_PLACES), "band": r.band, "tied": r.tied}


def _totals_cell(t: Optional[GroupTotal], rank: Optional[Rank]) -> dict[str, Any]:
    if t is None:
        return {"total": num(None), "pct": num(None), "band": "", "rank": num(None)}
    return {"total": num(t.total, TOTAL_PLACES), "pct": num(t.pct, PCT_PLACES), "band": t.band,
            "rank": num(rank.rank if rank else None)}


# ---------------------------------------------------------------------------------------- circular
def circular_context(report: RoundReport) -> dict[str, Any]:
    """The circular to every district: the round in words, and every district's totals as the enclosure."""
    ctx = common(report, report.round.letter)
    groups = []
    for i, g in enumerate(report.catalog.groups, 1):
        ranks = report.ranks.get(g.key, [])
        top = [r for r in ranks if r.rank == 1]
        groups.append({"index": num(i), "key": g.key, "name": g.name,
                       "top_names": thai_join(f"อำเภอ{r.name}" for r in top) or num(None),
                       "top_pct": num(top[0].pct if top else None, PCT_PLACES),
                       "top_band": top[0].band if top else "", "bands": _band_counts(report, g.key)})
    table = []
    for i, d in enumerate(report.results, 1):
        row = {"seq": num(i), "code": d.district.code, "name": d.district.name, "missing": d.status == "missing"}
        for g in report.catalog.groups:
            row[g.key] = _totals_cell(d.totals.get(g.key), report.rank_of(d.district.code, g.key))
        table.append(row)
    invalid = _invalid(report)
    ctx.update(groups=groups, table=table, invalid=[d.district.name for d in invalid], n_invalid=num(len(invalid)))
    return ctx


# ---------------------------------------------------------------------------------------- district
@dataclass(frozen=True)
class LetterFrame:
    """What every district letter of a round shares, built once from the report: the common values, each
    group's fixed columns and the indicator titles. Small, so it travels to the worker processes."""

    common: dict[str, Any]
    groups: tuple[tuple[dict[str, str], tuple[dict[str, str], ...]], ...]
    titles: dict[str, str]
    names: dict[str, str]       # indicator code → its Thai name in print (ตัวชี้วัดรายทีมที่ ๒)
    today: dt.date              # the letter's date: deadlines before it are no longer to do
    terms: tuple[str, ...]      # held together on a line
    garuda: Optional[str]       # the ครุฑ picture's path, None: the placeholder
    districts: tuple[str, ...]  # every district's name, held together too
    words: dict[str, Words]     # indicator code → what words its needs (labels, units and types of its values)

    def finish(self) -> PrintFinish:
        """The finishing of the district letters (made once per process)."""
        return make_finish(self.terms, self.garuda, str(GARUDA_PLACEHOLDER), self.districts)


#: A district's place in each group: group key → (its Rank or None, the districts tied with it, in words).
Standing = dict[str, tuple[Optional[Rank], str]]


def indicator_names(report: RoundReport) -> dict[str, str]:
    """Every indicator's Thai name in print, by code: its group's name and its number in the group."""
    catalog = report.catalog
    out = {}
    for g in catalog.groups:
        for i, ind in enumerate(catalog.in_group(g.key), 1):
            out[ind.code] = indicator_name(g.name, ind.number or i)
    return out


def letter_numbers(round_: Round, codes: Iterable[str]) -> dict[str, str]:
    """Each district letter's number, by district code: consecutive from [letter] district_first_number in code
    order when the round numbers them on their own, else the circular's number."""
    codes = sorted(codes)
    if round_.district_numbers != "own":
        return {c: round_.letter.number for c in codes}
    head = round_.district_first_number.rstrip("0123456789๐๑๒๓๔๕๖๗๘๙")
    first = int(to_arabic(round_.district_first_number[len(head):]))
    thai = any(ch in round_.district_first_number for ch in "๐๑๒๓๔๕๖๗๘๙")
    return {c: head + (thai_digits(first + i) if thai else str(first + i)) for i, c in enumerate(codes)}


def letter_frame(report: RoundReport) -> LetterFrame:
    """The frame of a round's district letters."""
    catalog = report.catalog
    titles = {ind.code: thai_digits(ind.title) for ind in catalog.indicators}
    names = indicator_names(report)
    groups = []
    for i, g in enumerate(catalog.groups, 1):
        inds = catalog.in_group(g.key)
        fixed = {"index": num(i), "key": g.key, "name": g.name, "weight": num(sum(ind.weight for ind in inds))}
        groups.append((fixed, tuple({"code": ind.code, "seq": num(k), "name": names[ind.code], "title": titles[ind.code],
                                     "weight": num(ind.weight)} for k, ind in enumerate(inds, 1))))
    r = report.round
    return LetterFrame(common(report, r.letter), tuple(groups), titles, names, r.letter.date, print_terms(report),
                       str(r.garuda) if r.garuda else None, tuple(d.name for d in r.districts),
                       {ind.code: words(ind) for ind in report.catalog.indicators})


def print_terms(report: RoundReport) -> tuple[str, ...]:
    """What every printed document never breaks across lines: the province, the office, the band names, the
    catalog's marked terms (the district names are added by make_finish)."""
    r = report.round
    return tuple(dict.fromkeys([r.province, f"จังหวัด{r.province}", r.office, *(b.name for b in r.bands),
                                *report.catalog.keep_together, *PRINT_WORDS]))


def print_finish(report: RoundReport) -> PrintFinish:
    """The finishing of the round-wide documents (circular, memo): every district's names held together."""
    r = report.round
    return make_finish(print_terms(report), str(r.garuda) if r.garuda else None, str(GARUDA_PLACEHOLDER),
                       tuple(d.name for d in r.districts))


def standings(report: RoundReport) -> dict[str, Standing]:
    """Every district's places and ties, by district code (districts with no place have none)."""
    out: dict[str, Standing] = {}
    for key, ranks in report.ranks.items():
        by_place: dict[int, list[Rank]] = {}
        for r in ranks:
            by_place.setdefault(r.rank, []).append(r)
        for r in ranks:
            tied = thai_join(f"อำเภอ{other.name}" for other in by_place[r.rank] if other.code != r.code)
            out.setdefault(r.code, {})[key] = (r, tied)
    return out


def _district_groups(frame: LetterFrame, result: DistrictResult, standing: Standing) -> list[dict[str, Any]]:
    """A district's totals, rank, ties and indicator levels in every group."""
    found = {res.code: res for res in result.indicators}
    groups = []
    for fixed, frame_rows in frame.groups:
        key, t = fixed["key"], result.totals.get(fixed["key"])
        rank, tied = standing.get(key, (None, ""))
        rows = [{**row, "level": num(found[row["code"]].level), "score": num(found[row["code"]].score, SCORE_PLACES)}
                for row in frame_rows]
        groups.append({**_totals_cell(t, rank), **fixed, "rows": rows, "tied_with": tied,
                       "unscored": num(len(t.unscored)) if t and t.unscored else ""})
    return groups


def _grouped_names(frame: LetterFrame, codes: set[str]) -> str:
    """Indicators named by group and number: 'ตัวชี้วัดรายทีมที่ ๒ ๓ ๖ และตัวชี้วัดรายบุคคลที่ ๑ ๔'."""
    parts = []
    for fixed, rows in frame.groups:
        seqs = [row["seq"] for row in rows if row["code"] in codes]
        if seqs:
            parts.append(f"{fixed['name']}ที่ {' '.join(seqs)}")
    return thai_join(parts)


def district_context(frame: LetterFrame, result: DistrictResult, standing: Standing, number: str = "",
                     change: Optional[DistrictChange] = None) -> dict[str, Any]:
    """A letter to one district's นายอำเภอ: its totals, ranks, indicators, what to improve, what to fix
    (``frame``: the round's letter_frame; ``standing``: the district's entry of standings; ``number``: its own
    number from letter_numbers, else the circular's; ``change``: since the previous round, when compared)."""
    from generator.render.trend_context import district_trend

    ctx = dict(frame.common)
    ctx["trend"] = district_trend(change, ctx["compare"], ctx["group_names"])
    name = result.district.name
    code = result.district.code
    ctx.update(district=name, district_code=code, to=f"นายอำเภอ{name}", enclosure="",
               groups=_district_groups(frame, result, standing))
    if number:
        ctx["number"] = thai_digits(number)
    titles, names = frame.titles, frame.names
    below: list[dict[str, Any]] = []
    unscored: list[dict[str, Any]] = []
    for res in result.indicators:
        if res.level is not None and res.level < 3:
            w = frame.words[res.code]
            steps = still_to_do((plain_sentence(thai_digits(need_text(w, n))) for n in res.needs), frame.today)
            below.append({"code": res.code, "name": names[res.code], "title": titles[res.code], "level": num(res.level),
                          "needs": steps, "lapsed": bool(res.needs) and not steps})  # all it lacks was due already
        elif res.status == "error":
            told = {p.message for p in result.problems if p.indicator == res.code}   # listed under checks
            left = [plain_sentence(thai_digits(m)) for m in res.messages if m not in told]
            unscored.append({"code": res.code, "name": names[res.code], "title": titles[res.code],
                             "message": " ".join(m for m in left if m)})
    checks = [{"severity": SEVERITY.get(p.severity, p.severity), "indicator": p.indicator,
               "message": plain_problem(p, names.get(p.indicator, ""))} for p in result.problems]
    ctx.update(below=below, n_below=num(len(below)), below_names=_grouped_names(frame, {b["code"] for b in below}),
               unscored=unscored, checks=checks, n_checks=num(len(checks) + len(unscored)))
    return ctx


# -------------------------------------------------------------------------------------------- memo
def own_titles(lines: Sequence[str], province: str = "") -> list[str]:
    """The signer's own position: the lines before 'ปฏิบัติราชการแทน ...' (a memo to the governor is not
    signed on the governor's behalf); 'รองผู้ว่าราชการจังหวัด' gets its province."""
    out = []
    for line in lines:
        if ACTING_FOR in line:
            head = line.split(ACTING_FOR, 1)[0].strip()
            if head:
                out.append(head + province if province and head.endswith("จังหวัด") else head)
            return out
        out.append(line)
    return out


def _below_good(report: RoundReport, group: str) -> list[dict[str, Any]]:
    """The bands below ดี (best first) with the districts in each, named (at most BAND_LIST_MAX)."""
    bands = sorted(report.round.bands, key=lambda b: -b.min)
    good = next((b.min for b in bands if b.name == GOOD_BAND), None)
    lower = [b for b in bands if good is not None and b.min < good] or bands[-2:]
    out = []
    for b in lower:
        inside = [d for d in report.scored if group in d.totals and d.totals[group].band == b.name]
        more = len(inside) - BAND_LIST_MAX
        out.append({"name": b.name, "count": num(len(inside)), "names": districts_named(inside[:BAND_LIST_MAX]),
                    "more": num(more) if more > 0 else ""})
    return out


def _ranking(report: RoundReport) -> list[dict[str, Any]]:
    """Every district in the first group's order of rank (unranked last, in district order), with every group's
    percentage, band and rank: the memo's enclosure table."""
    first = report.catalog.groups[0].key if report.catalog.groups else ""
    order = {r.code: i for i, r in enumerate(report.ranks.get(first, []))}
    rows = sorted(report.results, key=lambda d: (order.get(d.district.code, len(order)), d.district.code))
    return [{"seq": num(i), "name": d.district.name, "missing": d.status == "missing",
             **{g.key: _totals_cell(d.totals.get(g.key), report.rank_of(d.district.code, g.key))
                for g in report.catalog.groups}} for i, d in enumerate(rows, 1)]


def _chart(report: RoundReport) -> list[dict[str, Any]]:
    """The memo's bar chart: every scored district in the first group's rank order, its percentage in each
    group as the chart's XML wants it (Arabic digits, two places; '' for none)."""
    first = report.catalog.groups[0].key if report.catalog.groups else ""
    order = {r.code: i for i, r in enumerate(report.ranks.get(first, []))}
    rows = sorted(report.scored, key=lambda d: (order.get(d.district.code, len(order)), d.district.code))
    return [{"name": d.district.name, **{g.key: f"{d.totals[g.key].pct:.2f}" if g.key in d.totals else ""
                                         for g in report.catalog.groups}} for d in rows]


def memo_context(report: RoundReport, top_n: int = 3, weakest_n: int = 3, list_n: int = 5) -> dict[str, Any]:
    """The memo to the governor: how many scored, top and bottom districts, the districts below ดี, weakest
    indicators, gaps, and the ranking of every district as its enclosure."""
    r = report.round
    ctx = common(report, r.memo)
    if not r.memo.reference:
        ctx["reference"] = thai_digits(r.letter.reference)
    names = indicator_names(report)
    groups = []
    for i, g in enumerate(report.catalog.groups, 1):
        ranks = report.ranks.get(g.key, [])
        top = ranks[:top_n]
        bottom = ranks[max(top_n, len(ranks) - top_n):]
        groups.append({"index": num(i), "key": g.key, "name": g.name, "bands": _band_counts(report, g.key),
                       "top": [_rank_row(x) for x in top], "bottom": [_rank_row(x) for x in bottom],
                       "below_good": _below_good(report, g.key)})
    weakest = [{"code": w.code, "name": names.get(w.code, w.code), "title": thai_digits(w.title),
                "group": report.catalog.group_name(w.group),
                "mean": num(w.mean_level, MEAN_PLACES), "below": num(w.below_3), "scored": num(w.scored)}
               for w in report.weakest[:weakest_n]]
    invalid = [{"name": d.district.name, "count": num(sum(1 for i in d.indicators if i.status == "error"))}
               for d in _invalid(report)]
    warned = [d for d in report.scored if d.status == "warning"]
    more = len(invalid) - list_n
    round_errors = [p for p in report.problems if p.severity == "error"]
    ctx.update(groups=groups, n_groups=len(groups), weakest=weakest, invalid=invalid[:list_n],
               n_invalid=num(len(invalid)), invalid_more=num(more) if more > 0 else "",
               n_warned=num(len(warned)) if warned else "",
               warned_listed=districts_named(warned) if len(warned) <= LIST_MAX else "",
               n_round_problems=num(len(round_errors)) if round_errors else "",
               ranking=_ranking(report), chart=_chart(report), band_names=[b["name"] for b in ctx["band_rules"]],
               memo_titles=[thai_digits(t) for t in own_titles(r.signer.title_lines, r.province)])
    from generator.render.trend_context import memo_trend

    ctx["trend"] = memo_trend(report)
    if r.memo_signer is not None:
        ctx["signer"] = {"name": r.memo_signer.name or NO_NAME,
                         "title_lines": [thai_digits(t) for t in r.memo_signer.title_lines]}
        ctx["memo_titles"] = ctx["signer"]["title_lines"]
    return ctx
