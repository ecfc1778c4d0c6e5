"""An article as the assistant reads it: its text, and what the file says of it (title, publisher, author, date).

Takes plain text, HTML pages, e-mails (.eml) and PDF files. HTML is read with BeautifulSoup, whose parser ships with
Python: the page's own metadata (``og:title``, ``article:published_time``, ``author``) names the article, and the
main text is the page's paragraphs without its menus and footers. PDF pages are read with pypdf.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import re
from dataclasses import dataclass, replace
from email.message import EmailMessage
from pathlib import Path

from storage import UserError
from storage.values import parse_date

MAX_BYTES = 20_000_000  # a file bigger than this is refused before it is read (a PDF's pictures make it big)
MAX_CHARACTERS = 1_000_000  # an article, not a book: about 150,000 words, read in under 10 seconds


@dataclass(frozen=True)
class Article:
    """The text to read, and what is known of the article beside it."""

    text: str
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    published_on: str | None = None
    url: str | None = None


def read_file(path: Path) -> Article:
    """The article in a .txt, .html, .eml or .pdf file.

    Raises:
        UserError: the file cannot be read, or holds no text.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UserError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    if size > MAX_BYTES:
        raise UserError(f"{path}: {size:,} bytes is too big for an article (at most {MAX_BYTES:,})")
    suffix = path.suffix.lower()
    try:
        if suffix == ".pdf":
            article = _pdf(path)
        elif suffix == ".eml":
            article = _eml(path.read_bytes())
        elif suffix in (".html", ".htm"):
            article = from_html(_decode(path.read_bytes()))
        else:
            article = from_text(_decode(path.read_bytes()))
    except UserError:
        raise
    except Exception as exc:  # a damaged PDF or e-mail: said so, never a traceback
        raise UserError(f"{path}: cannot read it as a {suffix or 'text'} file ({exc})") from exc
    if not article.text.strip():
        raise UserError(f"{path}: the file holds no text to read")
    if len(article.text) > MAX_CHARACTERS:
        raise UserError(
            f"{path}: {len(article.text):,} characters is more than an article ({MAX_CHARACTERS:,} at most):"
            " split it, or paste the part that holds the news"
        )
    return article


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


_DATE_LINE = re.compile(r"^\s*(?:date|published|published on|posted)[:\s]+(.{6,40}?)\s*$", re.IGNORECASE)
_BYLINE = re.compile(r"^\s*(?:by\s+)?([A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}(?:/[\w ]+)?)\s*$")


def _c1(code: int) -> str:
    try:
        return bytes([code]).decode("cp1252")
    except UnicodeDecodeError:
        return ""


# Control characters U+0080-U+009F in a text are Windows-1252 punctuation read as Latin-1 ("\x96" is an en dash):
# put back as the characters meant, the rest dropped.
_C1 = {code: _c1(code) for code in range(0x80, 0xA0)}
_CONTROLS = {code: None for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)}


def clean(text: str) -> str:
    """An article's text with unified line ends, stray control characters dropped, cp1252 ones put back."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_C1).translate(_CONTROLS)


def from_text(text: str) -> Article:
    """A pasted or plain-text article: its first line is the title when it reads like one; a date line is its date.

    The seed articles open so: "date 2024-08-16 With Minister Umerov..." or a headline, then a line with the date.
    """
    text = clean(text)
    lines = [line.strip() for line in text.split("\n")]
    title = None
    first = next((line for line in lines if line), "")
    if first and len(first) <= 160 and not first.endswith((".", ":")) and not first.lower().startswith("date "):
        title = first
    published = None
    m = re.match(r"\s*date[:\s]+(\d{4}-\d{2}-\d{2})\b", text, re.IGNORECASE)
    if m:
        published = m[1]
    else:
        for line in lines[:8]:
            found = _date_of_line(line)
            if found:
                published = found
                break
    return Article(text=text, title=title, published_on=published, author=_byline(lines[1:10]))


_NAME = r"([A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+){1,3}(?:/[A-Z][\w ]+)?)"
_BYLINES = (
    re.compile(r"^\s*by\s+" + _NAME + r"\s*$", re.IGNORECASE),  # "By Jane Doe"
    re.compile(r"\d{4}.*?\s[-–—|]\s+" + _NAME + r"\s*$"),  # ", 15 November 2024, 07:59 - Ulyana Krychkovska"
    re.compile(r"^\s*[•·]\s*" + _NAME + r"\s*$"),  # "• BNS/TBT Staff", under a "• 2023-01-03" line
)


def _byline(lines: list[str]) -> str | None:
    """The author a line near the top names: "By Jane Doe", "15 November 2024, 07:59 - Ulyana Krychkovska"."""
    for line in lines:
        if len(line) > 90:
            continue
        for pattern in _BYLINES:
            m = pattern.search(line)
            if m and not _date_of_line(m[1]):
                return m[1].strip()
    return None


def _date_of_line(line: str) -> str | None:
    """The date a short line near the top gives ("Aug 14, 2024 - 07:36", "• 2023-01-03", "15 November 2024, 07:59")."""
    if not line or len(line) > 80:
        return None
    m = _DATE_LINE.match(line)
    candidates = [m[1]] if m else []
    candidates += re.findall(
        r"\d{4}-\d{2}-\d{2}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+\d{4}|[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4}", line
    )
    for candidate in candidates:
        try:
            iso = parse_date(candidate)
        except ValueError:
            continue
        if iso and len(iso) == 10:
            return iso
    return None


def from_html(html: str) -> Article:
    """A web page: its metadata and the text of its article (paragraphs, headings and list items)."""
    from bs4 import BeautifulSoup  # imported here: only pages need it

    soup = BeautifulSoup(html, "html.parser")

    def meta(*names: str) -> str | None:
        for name in names:
            tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
            content = tag.get("content") if tag else None
            if isinstance(content, str) and content.strip():
                return " ".join(content.split())
        return None

    for junk in soup(["script", "style", "nav", "footer", "header", "aside", "form", "noscript"]):
        junk.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    blocks = []
    for tag in root.find_all(["h1", "h2", "h3", "p", "li"]):
        words = " ".join(tag.get_text(" ").split())
        if words and not (tag.name == "li" and tag.find_parent(["p"])):
            blocks.append(f"• {words}" if tag.name == "li" else words)
    title = meta("og:title", "twitter:title") or (
        " ".join(soup.title.get_text().split()) if soup.title and soup.title.get_text().strip() else None
    )
    if title and blocks and blocks[0] != title:
        blocks.insert(0, title)
    published = meta("article:published_time", "date", "pubdate", "publish-date", "DC.date.issued")
    iso = None
    if published:
        try:
            iso = parse_date(published[:10])
        except ValueError:
            iso = None
    article = Article(
        text=clean("\n\n".join(blocks)),
        title=title,
        publisher=meta("og:site_name", "publisher", "DC.publisher"),
        author=meta("author", "article:author", "DC.creator"),
        published_on=iso,
        url=meta("og:url") or _canonical(soup),
    )
    if not article.published_on:
        article = replace(article, published_on=from_text(article.text).published_on)
    return article


def _canonical(soup: object) -> str | None:
    link = soup.find("link", attrs={"rel": "canonical"})  # type: ignore[attr-defined]
    href = link.get("href") if link else None
    return href if isinstance(href, str) and href.startswith("http") else None


def _eml(data: bytes) -> Article:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    body = message.get_body(preferencelist=("plain", "html"))
    content = body.get_content() if body is not None else ""
    inner = from_html(content) if body is not None and body.get_content_subtype() == "html" else from_text(content)
    date = None
    if message["date"]:
        try:
            date = email.utils.parsedate_to_datetime(str(message["date"])).date().isoformat()
        except (TypeError, ValueError):
            date = None
    sender = message["from"]
    return replace(
        inner,
        title=str(message["subject"]) if message["subject"] else inner.title,
        author=inner.author or (sender.addresses[0].display_name if sender and sender.addresses else None) or None,
        published_on=inner.published_on or date,
    )


def _pdf(path: Path) -> Article:
    from pypdf import PdfReader  # imported here: only PDFs need it

    reader = PdfReader(path)
    text = "\n\n".join((page.extract_text() or "").strip() for page in reader.pages)
    info = reader.metadata
    article = from_text(text)
    title = str(info.title) if info and info.title else article.title
    author = str(info.author) if info and info.author else None
    return replace(article, title=title, author=author)
