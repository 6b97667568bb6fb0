"""What the next level needs: the score layer gives data (Need), render/needs_text words every kind in Thai."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

from generator.render.needs_text import need_text, needs_text, words
from generator.score import score_indicator
from generator.score.results import Need

W = {"spent": ("เงินที่ใช้", "บาท", "money"), "staff": ("จำนวนเจ้าหน้าที่", "คน", "int"),
     "rate": ("อัตราการใช้จ่าย", "ร้อยละ", "derived"), "low": ("ค่าต่ำสุด", "ร้อยละ", "derived"),
     "a": ("ค่าแรก", "ร้อยละ", "pct"), "b": ("ค่าที่สอง", "ร้อยละ", "pct"), "day": ("วันที่จัดงาน", "", "date")}


@pytest.mark.parametrize("need,text", [
    (Need("short", "rate", ">=", 80, 75.5), "ต้องได้อัตราการใช้จ่าย ไม่น้อยกว่า ๘๐ (ขณะนี้ ร้อยละ ๗๕.๕๐)"),
    (Need("short", "staff", ">", 3, 2), "ต้องได้จำนวนเจ้าหน้าที่ มากกว่า ๓ (ขณะนี้ ๒ คน)"),
    (Need("short", "rate", ">=", 80, 75, change=("spent", 1234.561)),
     "ต้องได้อัตราการใช้จ่าย ไม่น้อยกว่า ๘๐ (ขณะนี้ ร้อยละ ๗๕) — เงินที่ใช้: ต้องเพิ่มอีก ๑,๒๓๔.๕๗ บาท"),
    (Need("short", "rate", "<=", 10, 12, change=("staff", -1.2)),
     "ต้องได้อัตราการใช้จ่าย ไม่เกิน ๑๐ (ขณะนี้ ร้อยละ ๑๒) — จำนวนเจ้าหน้าที่: ต้องลดลงอีก ๒ คน"),
    (Need("short", "low", ">=", 50, 40, below=(("a", 40), ("b", 45))),
     "ต้องได้ค่าต่ำสุด ไม่น้อยกว่า ๕๐ (ขณะนี้ ร้อยละ ๔๐); ที่ยังไม่ถึง: ค่าแรก (๔๐), ค่าที่สอง (๔๕)"),
    (Need("undefined", "rate", why="ยังไม่ได้กรอก เงินที่ใช้"), "ยังไม่ได้กรอก เงินที่ใช้"),
    (Need("tick", "L2_1", label="จัดประชุมชี้แจง", level=2, item=1), "ระดับ ๒ ข้อ ๑: ยังไม่ได้ทำเครื่องหมาย — จัดประชุมชี้แจง"),
    (Need("no-date", "day", by=dt.date(2022, 6, 9), level=5, item=2),
     "ระดับ ๕ ข้อ ๒: ยังไม่ได้กรอกวันที่จัดงาน (ต้องภายใน ๙ มิถุนายน ๒๕๖๕)"),
    (Need("late", "day", have=dt.date(2022, 6, 10), by=dt.date(2022, 6, 9)),
     "วันที่จัดงาน ๑๐ มิถุนายน ๒๕๖๕ ช้ากว่ากำหนด ๙ มิถุนายน ๒๕๖๕"),
    (Need("tier", "staff", have=4, thresholds=(1, 2, 3, 4, 5)), "เกณฑ์สำหรับจำนวนเจ้าหน้าที่ ๔ คน: ๑, ๒, ๓, ๔, ๕"),
    (Need("short", "rate", ">=", 80, 75, criterion="เกณฑ์ย่อยที่ ๑"),
     "เกณฑ์ย่อยที่ ๑: ต้องได้อัตราการใช้จ่าย ไม่น้อยกว่า ๘๐ (ขณะนี้ ร้อยละ ๗๕)"),
])
def test_every_kind_of_need_is_worded(need, text):
    assert need_text(W, need) == text


def test_an_int_input_is_asked_for_in_whole_units_and_money_in_satang():
    assert need_text(W, Need("short", "rate", ">=", 80, 0, change=("staff", 0.01))).endswith("ต้องเพิ่มอีก ๑ คน")
    assert need_text(W, Need("short", "rate", ">=", 80, 0, change=("spent", 0.001))).endswith("ต้องเพิ่มอีก ๐.๐๑ บาท")


def test_score_gives_data_and_the_words_come_from_the_catalog(catalog):
    ind = catalog.indicator("T1")
    r = score_indicator(ind, dict(T1_allocated=1_000_000, T1_spent=925_000, T1_loan_docs=True), "step")
    assert all(isinstance(n, Need) for n in r.needs)
    assert all(isinstance(v, (str, int, float, tuple, type(None), dt.date)) for n in r.needs for v in
               (n.name, n.op, n.target, n.have, n.change, n.why))
    assert needs_text(catalog, r) == tuple(need_text(words(ind), n) for n in r.needs)
    assert needs_text(catalog, r)[0].endswith("เบิกจ่าย/ใช้จ่ายแล้ว: ต้องเพิ่มอีก ๒๕,๐๐๐ บาท")


def test_words_leave_out_ticks_and_text_and_stay_small(catalog):
    table = {ind.code: words(ind) for ind in catalog.indicators}
    kinds = {t for w in table.values() for _, _, t in w.values()}
    assert kinds <= {"money", "int", "pct", "date", "derived"}
    assert len(pickle.dumps(table)) < 15_000


def test_needs_of_a_round_are_smaller_than_their_sentences(catalog):
    """Why needs are data: a national round keeps every district's needs in memory and sends them to workers."""
    ind = catalog.indicator("T1")
    r = score_indicator(ind, dict(T1_allocated=1_000_000, T1_spent=925_000, T1_loan_docs=True), "step")
    assert len(pickle.dumps(r.needs)) < len(pickle.dumps(needs_text(catalog, r)))
