"""Comparing a round with the previous one: the previous results.csv read back, the matching rules, and the
sample round 2566-r1 (compared with 2565-r2) checked in every output against a table computed by hand."""

from __future__ import annotations

import csv
import json
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from generator.api import UsageError, check_round, run_round
from generator.catalog import load_catalog
from generator.config import DEFAULT_BANDS, ConfigError, load_round
from generator.previous import PreviousError, read_previous, unquote
from generator.score.compare import matches
from generator.thai import thai_digits

ROOT = Path(__file__).resolve().parent.parent
NEXT = ROOT / "input_samples" / "2566-r1"
GOLDEN = ROOT / "tests" / "golden" / "2565-r2-results.csv"

# Written by hand from the two rounds' results.csv TOTAL and indicator rows and the spec's rules (change = now −
# then; bands of both rounds by the current round's bands: ≥90 ดีเด่น, ≥80 ดีมาก, ≥70 ดี, ≥60 พอใช้, else
# ต้องปรับปรุง; standard competition ranks, ties share the place; rank change = rank then − rank now).
# district: {group: (pct then, pct now, change, band then, band now, band move, rank then, rank now, rank change)}
HAND = {
    "3101": {"team": (68.00, 48.00, -20.00, "พอใช้", "ต้องปรับปรุง", -1, 11, 20, -9),
             "individual": (59.09, 88.18, 29.09, "ต้องปรับปรุง", "ดีมาก", 1, 17, 1, 16)},
    "3103": {"team": (73.00, 65.00, -8.00, "ดี", "พอใช้", -1, 8, 7, 1),
             "individual": (85.45, 53.64, -31.81, "ดีมาก", "ต้องปรับปรุง", -1, 1, 19, -18)},
    "3104": {"team": (49.00, 78.00, 29.00, "ต้องปรับปรุง", "ดี", 1, 22, 1, 21),
             "individual": (60.00, 46.36, -13.64, "พอใช้", "ต้องปรับปรุง", -1, 16, 22, -6)},
    "3106": {"team": (53.00, 66.00, 13.00, "ต้องปรับปรุง", "พอใช้", 1, 21, 6, 15),
             "individual": (60.91, 70.00, 9.09, "พอใช้", "ดี", 1, 15, 5, 10)},
    "3115": {"team": (56.00, 37.00, -19.00, "ต้องปรับปรุง", "ต้องปรับปรุง", 0, 19, 23, -4),
             "individual": (71.82, 75.45, 3.63, "ดี", "ดี", 0, 8, 2, 6)},
}
# T9 is T2 renumbered ([compare.map] T9 = "T2"): (level then, level now); I13 is new (level now); I12 is dropped
# (level then)
HAND_T9 = {"3101": (3, 0), "3103": (4, 3), "3104": (3, 5), "3106": (1, 2), "3115": (5, 2)}
HAND_I13 = {"3101": 5, "3103": 2, "3104": 0, "3106": 4, "3115": 5}
HAND_I12 = {"3101": 3, "3103": 5, "3104": 5, "3106": 5, "3115": 4}
TREND = {1: "up", -1: "down", 0: "same"}


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """The sample round 2566-r1 run once: (result, output folder)."""
    out = tmp_path_factory.mktemp("compared") / "out"
    return run_round(NEXT, out, jobs=2), out


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))


# ------------------------------------------------------------------------------------ the previous round
def write_csv(path: Path, rows: list[str], bom: bool = True) -> Path:
    head = "round_id,district_code,district_name,group,indicator,weight,level,score,status,message"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + "\r\n".join([head, *rows, ""]).encode("utf-8"))
    return path


def test_previous_round_is_read_with_bom_quotes_and_totals(tmp_path):
    path = write_csv(tmp_path / "results.csv", [
        "2565-r2,3101,'=เมือง,team,T1,50,4,4,ok,'-ระวัง",
        "2565-r2,3101,'=เมือง,team,T2,50,,,error,ค่าไม่ถูกต้อง",
        "2565-r2,3101,'=เมือง,team,TOTAL,100,,2,warning,ร้อยละ 40.00 (ต้องปรับปรุง)",
        "2565-r2,3102,คูเมือง,team,T1,50,,,missing,",
        "2565-r2,3102,คูเมือง,team,T2,50,,,missing,",
        "2565-r2,3102,คูเมือง,team,TOTAL,100,,,missing,ไม่มีแบบรายงานที่ใช้ได้"])
    prev = read_previous(path, DEFAULT_BANDS)
    assert prev.round_id == "2565-r2" and prev.codes == ("T1", "T2")
    first = prev.by_code["3101"]
    assert first.district.name == "=เมือง" and first.status == "error"
    assert (first.indicator("T1").level, first.indicator("T1").score) == (4, 4.0)
    assert first.indicator("T2").level is None
    assert (first.totals["team"].total, first.totals["team"].pct, first.totals["team"].band) == (2.0, 40.0, "ต้องปรับปรุง")
    assert prev.by_code["3102"].status == "missing" and prev.by_code["3102"].totals == {}
    assert prev.ranks("team")["3101"].rank == 1 and "3102" not in prev.ranks("team")
    assert len(prev.sha256) == 64


@pytest.mark.parametrize("text, value", [("'=SUM(A1)", "=SUM(A1)"), ("'-5", "-5"), ("'＋x", "＋x"),
                                         ("'quoted", "'quoted"), ("plain", "plain"), ("'", "'")])
def test_unquote_takes_off_only_the_writers_quote(text, value):
    assert unquote(text) == value


@pytest.mark.parametrize("rows, said", [
    (["2565-r2,3101,ก,team,T1,50,x,4,ok,"], "บรรทัด 2: 'level' ไม่ใช่ตัวเลข"),
    (["2565-r2,3101,ก,team,T1,50,4,4,ok,", "2565-r1,3102,ข,team,T1,50,4,4,ok,"], "ต้องมีผลของรอบเดียว"),
    ([], "ต้องมีผลของรอบเดียว"),
])
def test_unusable_previous_results_say_why(tmp_path, rows, said):
    with pytest.raises(PreviousError, match=re.escape(said)):
        read_previous(write_csv(tmp_path / "results.csv", rows), DEFAULT_BANDS)


def test_previous_results_without_the_contract_columns_are_refused(tmp_path):
    path = tmp_path / "results.csv"
    path.write_text("district_code,level\n3101,4\n", encoding="utf-8")
    with pytest.raises(PreviousError, match="ขาดคอลัมน์ round_id"):
        read_previous(path, DEFAULT_BANDS)


def test_a_missing_previous_file_is_a_usage_error_for_run_and_check(tmp_path):
    text = (NEXT / "round.toml").read_text(encoding="utf-8").replace('previous = "previous/results.csv"',
                                                                     'previous = "nowhere"')
    (tmp_path / "round.toml").write_text(text, encoding="utf-8")
    (tmp_path / "submissions").mkdir()
    with pytest.raises(UsageError, match="อ่านผลการประเมินของรอบก่อนไม่ได้.*nowhere/results.csv"):
        check_round(tmp_path)
    with pytest.raises(UsageError, match="อ่านผลการประเมินของรอบก่อนไม่ได้"):
        run_round(tmp_path, tmp_path / "out", jobs=1)


def test_compare_config_names_a_folder_or_a_file_and_a_map(tmp_path):
    base = (NEXT / "round.toml").read_text(encoding="utf-8")
    (tmp_path / "round.toml").write_text(base.replace('"previous/results.csv"', '"../old/out"'), encoding="utf-8")
    rnd = load_round(tmp_path)
    assert rnd.compare.previous == tmp_path / "../old/out" / "results.csv"
    assert rnd.compare.map == {"T9": "T2"}
    (tmp_path / "round.toml").write_text(base.replace('T9 = "T2"', 'T9 = "T2"\nT8 = "T2"'), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"บรรทัด \d+ .*'T2' ของรอบก่อนถูกจับคู่มากกว่าหนึ่งครั้ง"):
        load_round(tmp_path)
    assert load_round(ROOT / "input_samples" / "2565-r2").compare is None


def test_a_map_to_an_unknown_code_is_refused(tmp_path):
    text = (NEXT / "round.toml").read_text(encoding="utf-8").replace('T9 = "T2"', 'T99 = "T2"')
    (tmp_path / "round.toml").write_text(text, encoding="utf-8")
    (tmp_path / "previous").mkdir()
    (tmp_path / "previous" / "results.csv").write_bytes(GOLDEN.read_bytes())
    with pytest.raises(UsageError, match=r"\[compare.map\] T99: ไม่มีตัวชี้วัดนี้ใน catalog 2566-r1"):
        check_round(tmp_path)


def test_matching_by_code_and_map_never_pairs_twice():
    catalog = load_catalog(ROOT / "templates" / "catalogs" / "2566-r1.yaml")[0]
    previous = ("T1", "T2", "T3", "I12")
    pairs = matches(catalog, {"T9": "T2"}, previous)
    assert pairs["T9"] == "T2" and pairs["T1"] == "T1" and pairs["I13"] is None and pairs["I1"] is None
    swapped = matches(catalog, {"T1": "T3", "T3": "T1"}, previous)
    assert (swapped["T1"], swapped["T3"]) == ("T3", "T1")
    # a current code that a map sends elsewhere is matched only through the map: T1 here is new
    assert matches(catalog, {"T9": "T1"}, previous)["T1"] is None


def test_the_sample_keeps_2565_r2_results_as_run_writes_them():
    """previous/results.csv of the sample is the golden results of 2565-r2 (which the golden tests keep true)."""
    assert (NEXT / "previous" / "results.csv").read_bytes() == GOLDEN.read_bytes()


# --------------------------------------------------------------------------- the sample against the hand table
def test_results_csv_appends_the_trend_columns_and_matches_the_hand_table(compared):
    result, out = compared
    assert result.exit_code == 0
    rows = _rows(out / "results.csv")
    assert list(rows[0]) == ["round_id", "district_code", "district_name", "group", "indicator", "weight", "level",
                             "score", "status", "message", "previous_indicator", "previous_level", "previous_score",
                             "change", "trend"]
    by = {(r["district_code"], r["group"], r["indicator"]): r for r in rows}
    for code, groups in HAND.items():
        t9 = by[(code, "team", "T9")]
        then, now = HAND_T9[code]
        assert (t9["previous_indicator"], t9["previous_level"], t9["level"]) == ("T2", str(then), str(now))
        assert float(t9["change"]) == now - then
        assert t9["trend"] == TREND[(now > then) - (now < then)]
        i13 = by[(code, "individual", "I13")]
        assert (i13["previous_indicator"], i13["previous_level"], i13["change"], i13["trend"], i13["level"]) == \
            ("", "", "", "new", str(HAND_I13[code]))
        for group, (pct_then, pct_now, *_rest) in groups.items():
            total = by[(code, group, "TOTAL")]
            assert f"ร้อยละ {pct_now:.2f}" in total["message"]
            assert round(float(total["previous_score"]) / 5 * 100, 2) == pct_then
            assert total["trend"] == ("up" if pct_now > pct_then else "down")
    assert not any(r["indicator"] == "I12" for r in rows)   # dropped: no row claims a level for it this round


def test_summary_sheet_matches_the_hand_table(compared):
    _, out = compared
    ws = openpyxl.load_workbook(out / "summary.xlsx")["เทียบรอบก่อน"]
    seen = {}
    for row in ws.iter_rows(values_only=True):
        if row[0] in HAND:
            seen[row[0]] = row
    move = {1: "เลื่อนขึ้น", -1: "ลดลง", 0: None}
    for code, groups in HAND.items():
        row = seen[code]
        for i, group in enumerate(("team", "individual")):
            pct_then, pct_now, change, band_then, band_now, moved, rank_then, rank_now, rank_change = groups[group]
            got = row[2 + 9 * i: 11 + 9 * i]
            assert got == (pct_then, pct_now, change, band_then, band_now, move[moved], rank_then, rank_now,
                           rank_change), (code, group)
    with zipfile.ZipFile(out / "summary.xlsx") as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert any("รายรอบการประเมิน" in z.read(n).decode("utf-8") for n in charts)
    labels = [r[0] for r in ws.iter_rows(values_only=True)]
    assert "ตัวชี้วัดใหม่ (ไม่เปรียบเทียบ)" in labels and "ตัวชี้วัดที่ยกเลิก (ไม่เปรียบเทียบ)" in labels


def test_province_percentage_per_round_is_the_mean_of_the_districts(compared):
    _, out = compared
    ws = openpyxl.load_workbook(out / "summary.xlsx")["เทียบรอบก่อน"]
    points = {r[0]: r[1:3] for r in ws.iter_rows(values_only=True) if r[0] in ("รอบ ๒/๒๕๖๕", "รอบ ๑/๒๕๖๖")}
    for label, path in (("รอบ ๒/๒๕๖๕", GOLDEN), ("รอบ ๑/๒๕๖๖", out / "results.csv")):
        totals = [r for r in _rows(path) if r["indicator"] == "TOTAL" and r["score"]]
        for i, group in enumerate(("team", "individual")):
            pcts = [round(float(r["score"]) / 5 * 100, 2) for r in totals if r["group"] == group]
            assert points[label][i] == round(sum(pcts) / len(pcts), 2)


def test_scorecard_first_sheet_shows_then_and_change(compared):
    _, out = compared
    for code, groups in HAND.items():
        path = next((out / "scorecards").glob(f"{code}-*.xlsx"))
        ws = openpyxl.load_workbook(path).worksheets[0]
        rows = {r[0]: r for r in ws.iter_rows(values_only=True) if r[0]}
        then, now = HAND_T9[code]
        assert rows["T9"][3] == now and rows["T9"][8:10] == (then, now - then)
        assert rows["I13"][8:10] == ("ใหม่", "ตัวชี้วัดใหม่")
        pct_rows = [r for r in ws.iter_rows(values_only=True) if str(r[0]).startswith("คิดเป็นร้อยละ")]
        for r, group in zip(pct_rows, ("team", "individual")):
            pct_then, pct_now, change = groups[group][:3]
            assert (r[4], r[8], r[9]) == (pct_now, pct_then, change)
        notes = " ".join(str(r[0]) for r in ws.iter_rows(values_only=True) if r[0])
        assert f"I12 ระดับ {thai_digits(HAND_I12[code])}" in notes and "T9 เดิมคือ T2" in notes
        assert "เทียบกับรอบการประเมินที่ ๒ ปีงบประมาณ พ.ศ. ๒๕๖๕" in [c for r in ws.iter_rows(values_only=True)
                                                                     for c in r if c]


def _docx_paragraphs(path: Path) -> list[str]:
    """The paragraphs' text as read: the print's word joiners taken out, its no-break spaces as spaces."""
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    return ["".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", p)).replace("\u2060", "").replace("\u00a0", " ")
            for p in re.findall(r"<w:p[ >].*?</w:p>", xml, re.S)]


def _pct(value: float) -> str:
    return thai_digits(f"{value:.2f}")


def test_district_letter_says_the_change_in_one_thai_sentence(compared):
    _, out = compared
    for code, groups in HAND.items():
        letter = next(p for p in (out / "letters").glob(f"{code}-*.docx"))
        sentence = [p for p in _docx_paragraphs(letter) if p.startswith("เมื่อเทียบกับ")]
        assert len(sentence) == 1
        text = sentence[0]
        assert text.startswith("เมื่อเทียบกับรอบการประเมินที่ ๒ ปีงบประมาณ พ.ศ. ๒๕๖๕ ")
        for group, name in (("team", "ตัวชี้วัดรายทีม"), ("individual", "ตัวชี้วัดรายบุคคล")):
            pct_then, pct_now, change, band_then, band_now, moved, _, _, rank_change = groups[group]
            word = "เพิ่มขึ้น" if change > 0 else "ลดลง"
            part = f"{name}ได้ร้อยละ {_pct(pct_now)} {word} {_pct(abs(change))} จุด จากร้อยละ {_pct(pct_then)}"
            assert part in text, (code, part, text)
            assert (f"(จากระดับ{band_then}เป็นระดับ{band_now})" in text) == (moved != 0)
            places = thai_digits(abs(rank_change))
            assert f"ลำดับ{'ดีขึ้น' if rank_change > 0 else 'ลดลง'} {places} ลำดับ" in text
        assert "ตัวชี้วัดใหม่ ๑ ตัวชี้วัดและตัวชี้วัดที่ยกเลิก ๑ ตัวชี้วัด" in text
        assert not re.search(r"[A-Za-z]", text)   # nothing internal in what is signed


def test_memo_names_the_districts_that_moved_a_band(compared):
    _, out = compared
    text = " ".join(_docx_paragraphs(out / "memo.docx"))
    assert "เมื่อเทียบกับรอบการประเมินที่ ๒ ปีงบประมาณ พ.ศ. ๒๕๖๕ ร้อยละเฉลี่ยของจังหวัด" in text
    compared_part = text.split("เมื่อเทียบกับรอบการประเมินที่", 1)[1]  # the memo's own band lists come before it
    team = compared_part.split("(๑) ตัวชี้วัดรายทีม", 1)[1].split("(๒) ตัวชี้วัดรายบุคคล", 1)[0]
    up, down = team.split("อำเภอที่ระดับผลการประเมินต่ำลง", 1)
    assert "อำเภอนางรอง (ต้องปรับปรุงเป็นดี)" in up and "อำเภอละหานทราย (ต้องปรับปรุงเป็นพอใช้)" in up
    assert "อำเภอกระสัง (ดีเป็นพอใช้)" in down and "อำเภอเมืองบุรีรัมย์ (พอใช้เป็นต้องปรับปรุง)" in down
    assert "พลับพลาชัย" not in team   # stayed ต้องปรับปรุง


def test_manifest_records_the_previous_round(compared):
    _, out = compared
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    import hashlib
    assert manifest["previous"] == {"round_id": "2565-r2", "path": "previous/results.csv",
                                    "sha256": hashlib.sha256(GOLDEN.read_bytes()).hexdigest()}


def test_a_round_without_compare_keeps_the_contract_columns(tmp_path):
    result = run_round(ROOT / "input_samples" / "2565-r2", tmp_path / "out", jobs=1)
    assert (tmp_path / "out" / "results.csv").read_bytes() == GOLDEN.read_bytes()
    assert result.report.comparison is None
    assert "previous" not in json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))


def test_a_district_without_a_previous_result_is_not_compared(tmp_path):
    """3101 missing in the previous round: nothing compared for it, said so in its scorecard and letter."""
    rows = GOLDEN.read_text(encoding="utf-8-sig").splitlines()
    missing = [re.sub(r"^(2565-r2,3101,[^,]*,[^,]*,[^,]*,[^,]*),[^,]*,[^,]*,[^,]*,.*$", r"\1,,,missing,", r)
               for r in rows]
    (tmp_path / "previous").mkdir()
    (tmp_path / "previous" / "results.csv").write_text("\ufeff" + "\r\n".join(missing) + "\r\n", encoding="utf-8")
    (tmp_path / "round.toml").write_bytes((NEXT / "round.toml").read_bytes())
    shutil.copytree(NEXT / "submissions", tmp_path / "submissions")
    result = run_round(tmp_path, tmp_path / "out", jobs=1)
    change = result.report.comparison.districts["3101"]
    assert not change.previous
    assert all(i.trend in ("none", "new", "dropped") for i in change.indicators)
    assert all(g.pct_then is None and g.band_move == 0 and g.rank_change is None for g in change.groups.values())
    rows = {r["district_code"] + r["indicator"]: r for r in _rows(tmp_path / "out" / "results.csv")
            if r["group"] == "team"}
    assert (rows["3101T1"]["previous_level"], rows["3101T1"]["trend"]) == ("", "none")
    assert rows["3103T1"]["trend"] in ("up", "down", "same")
    letter = next((tmp_path / "out" / "letters").glob("3101-*.docx"))
    assert ("อำเภอเมืองบุรีรัมย์ไม่มีผลการประเมินในรอบการประเมินที่ ๒ ปีงบประมาณ พ.ศ. ๒๕๖๕ "
            "จึงยังไม่มีการเปรียบเทียบกับรอบที่ผ่านมา") in _docx_paragraphs(letter)
    card = openpyxl.load_workbook(next((tmp_path / "out" / "scorecards").glob("3101-*.xlsx"))).worksheets[0]
    notes = [r[0] for r in card.iter_rows(values_only=True) if r[0]]
    assert "อำเภอนี้ไม่มีผลการประเมินในรอบก่อน จึงไม่มีการเปรียบเทียบ" in notes


@pytest.mark.soffice
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) or pdftotext is not installed")
def test_libreoffice_prints_the_compared_outputs(compared, tmp_path):
    """A real client opens the summary with its new sheet and chart, a scorecard with its then/now columns, and the
    letter and memo with their sentences."""
    import subprocess

    from generator.render import pdf

    _, out = compared
    card, letter = next((out / "scorecards").glob("3104-*.xlsx")), next((out / "letters").glob("3104-*.docx"))
    text = {}
    for i, files in enumerate(([out / "summary.xlsx", card], [letter, out / "memo.docx"])):  # a card and its letter
        printed, messages = pdf.convert_to_pdf(files, tmp_path / str(i))                   # share a name
        assert messages == [] and len(printed) == 2
        text.update({f"{p.stem}{p.parent.name}": subprocess.run(["pdftotext", "-raw", str(p), "-"], capture_output=True,
                                                                 check=True).stdout.decode() for p in printed})
    assert "รอบ ๑/๒๕๖๖" in text["summary0"] and "I13" in text["summary0"] and "I12" in text["summary0"]
    assert "ระดับรอบก่อน" in text[f"{card.stem}0"] and "I12" in text[f"{card.stem}0"]
    assert "เมื่อเทียบกับรอบการประเมินที่" in text[f"{letter.stem}1"]
    assert "ร้อยละเฉลี่ยของจังหวัด" in "".join(text["memo1"].split())  # the line may break inside it
