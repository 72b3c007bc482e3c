"""JSONL and CSV exports: each row becomes a RawDocument whose `fields` use our names.

Columns are found through `options.field_map` (our name -> their column, dotted paths reach into
nested JSON objects) and otherwise through common names (see DEFAULT_COLUMNS), case-insensitively.
A bad row is an IngestError naming its line; the rest of the file goes on.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
from collections.abc import Iterator, Mapping
from typing import IO, Any

from charset_normalizer import from_bytes

from newstrace.models import IngestError, RawDocument
from newstrace.sources import SourceOptions
from newstrace.sources.files import human_size

__all__ = ["DEFAULT_COLUMNS", "iter_csv", "iter_jsonl", "map_record"]

DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "_id", "guid", "uuid"),
    "url": ("url", "link", "uri", "permalink"),
    "title": ("title", "headline"),
    "text": ("text", "content", "body", "article", "maintext"),
    "author": ("author", "authors", "byline", "creator"),
    "date": ("date", "published", "published_at", "pubdate", "date_publish", "publish_date", "datetime"),
    "site": ("source", "site", "domain", "outlet", "publisher", "source_domain"),
    "language": ("language", "lang"),
    "html": ("html", "raw_html"),
}


def _lookup(record: Mapping[str, Any], lowered: Mapping[str, Any], column: str) -> Any:
    """A column's value, exact name first, then case-insensitive, then a dotted path into nested objects."""
    if column in record:
        return record[column]
    if column.lower() in lowered:
        return lowered[column.lower()]
    if "." in column:
        value: Any = record
        for part in column.split("."):
            if not isinstance(value, Mapping) or part not in value:
                return None
            value = value[part]
        return value
    return None


def map_record(record: Mapping[str, Any], field_map: Mapping[str, str]) -> dict[str, Any]:
    """Our-named fields of one exported row: mapped columns first, then the common defaults.

    Empty values ("" or None) are left out; lists (several authors) are kept as lists.
    """
    out: dict[str, Any] = {}
    lowered = {str(k).lower(): v for k, v in record.items()}
    for ours in {**DEFAULT_COLUMNS, **{k: () for k in field_map}}:
        candidates = (field_map[ours],) if ours in field_map else DEFAULT_COLUMNS.get(ours, ())
        for column in candidates:
            value = _lookup(record, lowered, column)
            if value not in (None, "", []):
                out[ours] = value
                break
    return out


def _document(source: str, kind: str, record: Mapping[str, Any], options: SourceOptions) -> RawDocument:
    fields = map_record(record, options.field_map)
    html = fields.get("html")
    url = fields.get("url")
    return RawDocument(
        source=source,
        ingest_source=kind,
        url=str(url) if url is not None else None,
        html=html.encode("utf-8") if isinstance(html, str) else None,
        encoding="utf-8" if isinstance(html, str) else None,
        fields=fields,
    )


def _open_binary(path: str) -> IO[bytes]:
    """The file's bytes, transparently gunzipped (by magic number)."""
    fh = open(path, "rb")  # noqa: SIM115  # returned to the caller, who closes it
    magic = fh.read(2)
    fh.seek(0)
    if magic == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=fh, mode="rb")  # type: ignore[return-value]  # closes with the caller
    return fh


def iter_jsonl(path: str, options: SourceOptions) -> Iterator[RawDocument | IngestError]:
    """One RawDocument (ingest_source "jsonl") per JSON object line; blank lines are skipped."""
    rows = 0
    lineno = 0
    try:
        with _open_binary(path) as fh:
            while True:
                line = fh.readline(options.max_bytes + 1)
                if not line:
                    break
                lineno += 1
                source = f"{path}:{lineno}"
                if len(line) > options.max_bytes and not line.endswith(b"\n"):
                    while line and not line.endswith(b"\n"):  # skip the rest of the oversized line
                        line = fh.readline(1 << 20)
                    yield IngestError(
                        source, f"line {lineno} is over the {human_size(options.max_bytes)} cap", "too-large"
                    )
                    continue
                if not line.strip():
                    continue
                try:
                    record = json.loads(line.decode("utf-8-sig" if lineno == 1 else "utf-8"))
                except UnicodeDecodeError as exc:
                    yield IngestError(source, f"line {lineno} is not UTF-8: {exc.reason} at byte {exc.start}", "decode")
                    continue
                except json.JSONDecodeError as exc:
                    yield IngestError(
                        source, f"line {lineno} is not valid JSON: {exc.msg} at column {exc.colno}", "malformed"
                    )
                    continue
                if not isinstance(record, dict):
                    yield IngestError(
                        source, f"line {lineno} is a JSON {type(record).__name__}, not an object", "malformed"
                    )
                    continue
                rows += 1
                yield _document(source, "jsonl", record, options)
    except EOFError:
        yield IngestError(path, f"gzip stream truncated after line {lineno}", "truncated")
        return
    except (gzip.BadGzipFile, OSError) as exc:
        yield IngestError(path, f"cannot read after line {lineno}: {exc}", "malformed")
        return
    if lineno == 0:
        yield IngestError(path, "file is empty", "empty")
    elif rows == 0:
        yield IngestError(path, "no JSON records in the file", "empty")


_LEGACY_ENCODINGS = (
    "cp1252",
    "cp1251",
    "cp1250",
    "iso8859_15",
    "koi8_r",
    "cp1253",
    "cp1254",
    "cp1256",
    "cp1255",
    "cp1257",
    "shift_jis",
    "euc_jp",
    "gb18030",
    "big5",
    "euc_kr",
)


def _guess_encoding(sample: bytes) -> str:
    """UTF-8 when the sample decodes as UTF-8 (a cut character at the end allowed), else a best guess."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    # Only encodings that exports really use (charset_normalizer alone picks mac_latin2 for French);
    # ties go to the more common one.
    matches = sorted(
        from_bytes(sample, cp_isolation=list(_LEGACY_ENCODINGS)),
        key=lambda m: (
            round(m.chaos, 2),
            _LEGACY_ENCODINGS.index(m.encoding) if m.encoding in _LEGACY_ENCODINGS else 99,
        ),
    )
    return matches[0].encoding if matches else "cp1252"


def _delimiter(sample: bytes) -> str:
    """The header line's most frequent separator among , ; tab and | (European exports use ;)."""
    header = sample.split(b"\n", 1)[0]
    counts = {d: header.count(d.encode()) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def iter_csv(path: str, options: SourceOptions) -> Iterator[RawDocument | IngestError]:
    """One RawDocument (ingest_source "csv") per row under a header line; ragged rows are errors.

    The encoding is UTF-8 when the first MB decodes as such, else the likeliest legacy encoding;
    the separator is the header line's most frequent of , ; tab |.
    """
    csv.field_size_limit(max(csv.field_size_limit(), options.max_bytes))
    rows = 0
    try:
        with _open_binary(path) as raw:
            sample = raw.read(1 << 20)
            encoding = _guess_encoding(sample)
            text = io.TextIOWrapper(
                io.BufferedReader(_Prefixed(sample, raw)), encoding=encoding, errors="replace", newline=""
            )
            reader = csv.reader(text, delimiter=_delimiter(sample))
            try:
                header = next(reader)
            except StopIteration:
                yield IngestError(path, "file is empty", "empty")
                return
            header = [h.strip() for h in header]
            while True:
                start = reader.line_num + 1
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    yield IngestError(f"{path}:{start}", f"line {start}: {exc}", "malformed")
                    continue
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    yield IngestError(
                        f"{path}:{start}",
                        f"line {start} has {len(row)} fields, the header has {len(header)}",
                        "malformed",
                    )
                    continue
                rows += 1
                yield _document(f"{path}:{start}", "csv", dict(zip(header, row, strict=True)), options)
    except EOFError:
        yield IngestError(path, f"gzip stream truncated after {rows} rows", "truncated")
        return
    except (gzip.BadGzipFile, OSError) as exc:
        yield IngestError(path, f"cannot read after {rows} rows: {exc}", "malformed")
        return
    if rows == 0:
        yield IngestError(path, "no rows under the header", "empty")


class _Prefixed(io.RawIOBase):
    """A readable stream that replays an already-read sample, then the rest of the file."""

    def __init__(self, prefix: bytes, rest: IO[bytes]) -> None:
        self._prefix = prefix
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
