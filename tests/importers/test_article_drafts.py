"""The article assistant on the seed articles: the drafts it proposes, their evidence, duplicates, and accepting them.

The seeds' texts are taken from the sample (resources/sample/seed_records.json), which keeps each article whole.
"""

from __future__ import annotations

import email.message
from pathlib import Path

from importers import article
from storage import Ledger
from storage import records as rec
from storage.sample import sample_data


def seed(title_start: str) -> str:
    (text,) = [s["full_text"] for s in sample_data()["sources"] if s["title"].startswith(title_start)]
    return str(text)


DELEGATION = "[Lithuanian delegation meets Minister Umerov"  # seed 003, dated 2024-08-16 in its first words
MOBILISATION = "Lithuania studying Ukraine's experience"  # seed 000, 15 Nov 2024
HANDOVER = "Lithuanian Aid to Ukraine Continues"  # seed 002, no date at all


def drafts_of(result: article.Extraction, kind: str) -> list[article.Draft]:
    return [d for d in result.drafts if d.kind == kind]


def test_reported_totals_with_their_qualifier_measure_and_words(ledger: Ledger) -> None:
    result = article.extract_text(ledger, seed(DELEGATION))
    totals = {d.fields["amount"]: d for d in drafts_of(result, "totals")}
    military = totals[641_000_000]
    assert {k: military.fields[k] for k in ("subject", "recipient", "measure", "currency", "qualifier")} == {
        "subject": "Lithuania",
        "recipient": "Ukraine",
        "measure": "military assistance",
        "currency": "EUR",
        "qualifier": "over",
    }
    assert military.quotes["amount"] == "over EUR 641 million"
    start, end = military.spans["amount"]
    assert result.article.text[start:end] == "over EUR 641 million"
    assert totals[1_000_000_000].fields["measure"] == "total assistance"
    assert result.source.fields["published_on"] == "2024-08-16"


def test_an_agreement_signed_and_the_people_met(ledger: Ledger) -> None:
    result = article.extract_text(ledger, seed(DELEGATION))
    (agreement,) = drafts_of(result, "agreements")
    assert agreement.fields["title"] == "Agreement of cooperation on the Demining Coalition"
    assert agreement.fields["type"] == "cooperation agreement"
    people = {p["name"] for d in drafts_of(result, "events") for p in d.fields.get("participants", [])}
    assert "Oleksandr Kamyshin" in people
    kamyshin = next(d for d in drafts_of(result, "actors") if d.fields["name"] == "Oleksandr Kamyshin")
    assert kamyshin.fields["type"] == "person"
    assert kamyshin.fields["description"] == "Minister of Strategic Industries"


def test_own_procurement_is_told_from_aid_with_its_value_and_resolved_date(ledger: Ledger) -> None:
    result = article.extract_text(ledger, seed(MOBILISATION))
    by_value = {d.fields.get("value"): d for d in drafts_of(result, "aid")}
    nasams = by_value[234_000_000]
    assert nasams.fields["kind"] == "procurement for own forces"
    assert nasams.fields["recipient"] == nasams.fields["donor"] == "Lithuania"
    assert nasams.fields["category"] == "air defence"
    assert nasams.fields["announced_on"] == "2024-10"
    assert nasams.fields["uncertain"] is True
    assert any("2024 from the article's date" in g for g in nasams.guessed)
    vilkas = by_value[370_000_000]
    assert vilkas.fields["announced_on"] == "2024-10-15" and "Vilkas" in vilkas.fields["item"]


def test_an_undated_article_is_dated_by_who_held_office(ledger: Ledger) -> None:
    result = article.extract_text(ledger, seed(HANDOVER))
    handed = [
        d for d in drafts_of(result, "aid") if d.fields.get("status") == "delivered" and "NASAMS" in d.fields["item"]
    ]
    assert handed, [d.fields for d in drafts_of(result, "aid")]
    assert handed[0].fields["delivered_on"] == "2023-11-10"
    assert handed[0].fields["donor"] == "Lithuania"
    assert any("held office" in g and "Umerov" in g for g in handed[0].guessed)


def test_every_quote_is_the_articles_own_words(ledger: Ledger) -> None:
    for title in (DELEGATION, MOBILISATION, HANDOVER):
        result = article.extract_text(ledger, seed(title))
        for d in result.drafts:
            for name, (start, end) in d.spans.items():
                assert result.article.text[start:end] == d.quotes[name]
            assert d.quote(result.article.text) in " ".join(result.article.text.split())


def test_a_draft_the_database_holds_is_offered_as_a_second_source(sample_ledger: Ledger) -> None:
    result = article.extract_text(sample_ledger, seed(DELEGATION))
    total = next(d for d in drafts_of(result, "totals") if d.fields["amount"] == 641_000_000)
    stored = sample_ledger.conn.execute("SELECT id FROM totals WHERE amount = 641000000").fetchone()[0]
    assert total.duplicate_of == stored
    assert "already recorded" in total.duplicate_note
    assert result.source.duplicate_of is not None  # the article itself is a source there already
    assert not any(d.fields.get("name") == "Oleksandr Kamyshin" for d in drafts_of(result, "actors"))  # known


def test_accepting_adds_the_records_in_one_batch_each_citing_its_sentence(ledger: Ledger) -> None:
    result = article.extract_text(ledger, seed(DELEGATION))
    batches = ledger.conn.execute("SELECT count(*) FROM batches").fetchone()[0]
    chosen = [d for d in result.drafts[1:] if d.kind in ("totals", "agreements")]
    done = article.apply(ledger, result, chosen)
    assert done["added"] == len(chosen) + 1  # and the article, as a source
    assert ledger.conn.execute("SELECT count(*) FROM batches").fetchone()[0] == batches + 1
    (source,) = ledger.conn.execute("SELECT id, full_text FROM sources").fetchall()
    assert source[1] == result.article.text
    rid = ledger.conn.execute("SELECT id FROM totals WHERE amount = 641000000").fetchone()[0]
    (citation,) = rec.get(ledger, "totals", rid)["sources"]
    assert citation["target_id"] == source[0]
    assert "the military assistance this far amounts to over EUR 641 million" in citation["quote"]
    assert rec.find_ids(ledger, "actors", "Lithuania")  # made as the total's subject


def test_accepting_a_duplicate_adds_the_citation_not_a_copy(sample_ledger: Ledger) -> None:
    last = seed(DELEGATION).splitlines()[-1]  # the totals, as another outlet reported them
    result = article.extract_text(
        sample_ledger, article.Article(f"Vilnius, 16 August 2024.\n{last}", title="Another outlet")
    )
    total = next(d for d in drafts_of(result, "totals") if d.fields["amount"] == 641_000_000)
    before = sample_ledger.conn.execute("SELECT count(*) FROM totals").fetchone()[0]
    cited = len(rec.get(sample_ledger, "totals", total.duplicate_of or 0)["sources"])
    done = article.apply(sample_ledger, result, [total])
    assert done["cited"] == 1 and done["added"] == 1  # the new source only
    assert sample_ledger.conn.execute("SELECT count(*) FROM totals").fetchone()[0] == before
    assert len(rec.get(sample_ledger, "totals", total.duplicate_of or 0)["sources"]) == cited + 1


def test_a_web_page_gives_its_title_publisher_author_date_and_text(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Site | Page</title>"
        '<meta property="og:title" content="Germany pledges IRIS-T systems">'
        '<meta property="og:site_name" content="Example News">'
        '<meta name="author" content="A. Writer">'
        '<meta property="article:published_time" content="2024-05-02T10:00:00Z">'
        "</head><body><nav>Home | World</nav><script>var x = 1;</script>"
        "<article><h1>Germany pledges IRIS-T systems</h1><p>Germany will deliver three IRIS-T SLM systems.</p>"
        "</article><footer>Cookies</footer></body></html>",
        encoding="utf-8",
    )
    found = article.read_file(page)
    assert (found.title, found.publisher, found.author, found.published_on) == (
        "Germany pledges IRIS-T systems",
        "Example News",
        "A. Writer",
        "2024-05-02",
    )
    assert "three IRIS-T SLM systems" in found.text
    assert "Home" not in found.text and "var x" not in found.text and "Cookies" not in found.text


def test_an_email_gives_its_subject_and_date(tmp_path: Path) -> None:
    message = email.message.EmailMessage()
    message["Subject"] = "Canada donates armoured vehicles"
    message["From"] = "Press Office <press@example.org>"
    message["Date"] = "Tue, 17 Jan 2023 09:00:00 +0000"
    message.set_content("Canada will donate 200 Senator armoured vehicles to Ukraine.")
    path = tmp_path / "news.eml"
    path.write_bytes(bytes(message))
    found = article.read_file(path)
    assert found.title == "Canada donates armoured vehicles" and found.published_on == "2023-01-17"
    assert "200 Senator armoured vehicles" in found.text


def _pdf(text: str) -> bytes:
    """A one-page PDF holding ``text`` in Helvetica, written by hand (no PDF writer among the dependencies)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_a_pdf_is_read_as_text(tmp_path: Path, ledger: Ledger) -> None:
    path = tmp_path / "release.pdf"
    path.write_bytes(_pdf("The Netherlands will deliver 14 Leopard 2 tanks to Ukraine."))
    result = article.extract_file(ledger, path, published_on="2023-04-13")
    (tanks,) = [d for d in drafts_of(result, "aid") if "Leopard" in d.fields["item"]]
    assert tanks.fields["donor"] == "Netherlands" and tanks.fields["quantity_committed"] == 14
    assert tanks.fields["category"] == "armoured vehicles"


def test_a_file_that_is_no_article_is_refused_in_one_sentence(tmp_path: Path) -> None:
    import pytest

    from storage import UserError

    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 nothing else")
    with pytest.raises(UserError, match="broken.pdf"):
        article.read_file(broken)
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    with pytest.raises(UserError, match="no text"):
        article.read_file(empty)


def test_the_databases_own_items_are_equipment_with_their_category(ledger: Ledger) -> None:
    for name in ("Turkey", "Ukraine"):
        rec.insert(ledger, "actors", {"name": name, "type": "country"})
    rec.insert(ledger, "aid", {"item": "Kirpi MRAP", "category": "armoured vehicles", "donor": "Turkey",
                               "recipient": "Ukraine"})  # fmt: skip
    text = "Türkiye delivered 50 Kirpi vehicles and more Kirpi MRAP to Ukraine on 3 May 2023."
    (kirpi,) = [
        d for d in article.extract_text(ledger, text).drafts if d.kind == "aid" and "Kirpi MRAP" in d.fields["item"]
    ]
    assert kirpi.fields["category"] == "armoured vehicles"
    assert kirpi.fields["donor"] == "Turkey"  # the database's name for Türkiye, not a second actor
    rec.insert(ledger, "aid", {"item": "Bozok drone", "category": "drones", "donor": "Turkey", "recipient": "Ukraine"})
    later = article.extract_text(ledger, "Türkiye sent Bozok drone units to Ukraine on 4 May 2023.")
    assert any(d.kind == "aid" and d.fields["category"] == "drones" for d in later.drafts)  # known once written
