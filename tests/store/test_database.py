from __future__ import annotations

from khabar.store.database import Row, _to_pyformat, redacted


def test_placeholders_become_psycopgs_and_percent_signs_stay_literal() -> None:
    sql = "SELECT * FROM t WHERE a = ? AND b LIKE '50%?' AND c = ? -- 10%"
    assert _to_pyformat(sql) == (
        "SELECT * FROM t WHERE a = %s AND b LIKE '50%%?' AND c = %s -- 10%%"
    )


def test_a_password_never_reaches_a_message() -> None:
    assert redacted("postgresql://ana:s3cret@db.example:5433/news") == (
        "postgresql://ana:***@db.example:5433/news"
    )
    assert redacted("postgresql://ana@db.example/news") == "postgresql://ana@db.example/news"
    assert redacted("/data/khabar.db") == "/data/khabar.db"


def test_a_row_answers_by_position_and_by_name() -> None:
    row = Row(("id", "title"), ("a1", "Talks resume"))
    assert (row[0], row["title"], dict(row)) == (
        "a1",
        "Talks resume",
        {"id": "a1", "title": "Talks resume"},
    )
