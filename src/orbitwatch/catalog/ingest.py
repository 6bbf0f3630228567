"""Load files into the catalog: read, detect the format, parse strictly, store."""

from __future__ import annotations

import collections
import dataclasses
import hashlib
import itertools
import tarfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orbitwatch.catalog.store import CatalogStore, LoadReport
from orbitwatch.core.processes import usable_cpus, worker_pool
from orbitwatch.errors import FileFormatError, InputError
from orbitwatch.formats import detect_format, parse_satcat_csv, read_elements
from orbitwatch.formats.tle import ChecksumPolicy


def read_text(path: str | Path) -> str:
    """A file's text (UTF-8, or Latin-1 when it is not UTF-8); clear error if missing."""
    return read_text_noting(path)[0]


def read_text_noting(path: str | Path) -> tuple[str, str | None]:
    """A file's text and, when it was not UTF-8, a note saying so and where: its bytes
    are then read as Latin-1 (every byte is a character), so nothing is lost, but names
    with non-ASCII letters may read wrong."""
    return decode_text(read_bytes(Path(path)))


def decode_text(data: bytes) -> tuple[str, str | None]:
    """Bytes as text: UTF-8, or Latin-1 with a note saying where UTF-8 failed."""
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        return data.decode("latin-1"), (
            f"not UTF-8 (byte {data[err.start]:#04x} at line {line} is the first that is "
            "not): read as Latin-1, check non-ASCII names")


def sources(path: str | Path) -> Iterator[tuple[str, Callable[[], bytes]]]:
    """The files a path stands for, in name order, as (source name, reader of its bytes):
    the file itself; every file under a directory; every member of a tar archive (.tar,
    .tar.gz, .tgz, .tar.xz, .tar.bz2), named ``archive:member``. History snapshots come
    as such archives (one element-set file per snapshot)."""
    p = Path(path)
    if p.is_dir():
        for f in sorted(x for x in p.rglob("*") if x.is_file()):
            yield str(f), lambda f=f: read_bytes(f)
        return
    if p.is_file() and tarfile.is_tarfile(p):
        try:
            # a compressed archive is one stream: members read out of its order make
            # tarfile decompress it again from the start each time (33.8 s instead of
            # 1.6 s for the 59-snapshot history). Read it once, in its own order, then
            # hand the members out by name (the whole archive in memory: 126 MB there).
            with tarfile.open(p) as archive:
                files = {m.name: archive.extractfile(m).read()  # type: ignore[union-attr]
                         for m in archive if m.isfile()}
            for name in sorted(files):
                data = files.pop(name)
                yield f"{p}:{name}", lambda data=data: data
        except (tarfile.TarError, EOFError, OSError) as err:
            raise FileFormatError(f"{p}: not a readable tar archive ({err})")
        return
    yield str(p), lambda: read_bytes(p)


def read_bytes(path: Path) -> bytes:
    """A file's bytes; an InputError naming it when it cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file")
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a catalog file")
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror})")


def load_text(
    store: CatalogStore, text: str, *, source: str, fmt: str | None = None,
    checksum_policy: ChecksumPolicy = "verify", notes: tuple[str, ...] = (),
) -> LoadReport:
    """Parse and store one source's text (element sets or SATCAT), in one transaction;
    ``notes`` (how the text was read) go into the report."""
    return store_parsed(store, parse_text(text, source=source, fmt=fmt,
                                          checksum_policy=checksum_policy, notes=notes))


@dataclass(slots=True)
class ParsedSource:
    """One source read and parsed, not yet stored (parsing can run in another process;
    storing is the store's, in order)."""

    source: str
    fmt: str
    sha256: str
    result: Any  # ParseResult, or SatcatResult for fmt "satcat"
    notes: tuple[str, ...] = ()


def parse_text(text: str, *, source: str, fmt: str | None = None,
               checksum_policy: ChecksumPolicy = "verify",
               notes: tuple[str, ...] = ()) -> ParsedSource:
    """Detect the format and parse, strictly; an InputError for a file no reader takes."""
    fmt = fmt or detect_format(text, source)
    sha = hashlib.sha256(text.encode()).hexdigest()
    if fmt == "satcat":
        return ParsedSource(source, fmt, sha, parse_satcat_csv(text, source=source), notes)
    result = read_elements(text, source=source, fmt=fmt, checksum_policy=checksum_policy)
    if not result.records and not result.rejects and text.strip():
        raise FileFormatError(f"{source}: no element sets found in it")
    return ParsedSource(source, fmt, sha, result, notes)


def parse_bytes(source: str, data: bytes, fmt: str | None,
                checksum_policy: ChecksumPolicy) -> ParsedSource | InputError:
    """:func:`parse_text` of a file's bytes, the error returned rather than raised (for
    worker processes: one bad file must not end the others' results)."""
    text, note = decode_text(data)
    try:
        return parse_text(text, source=source, fmt=fmt, checksum_policy=checksum_policy,
                          notes=(note,) if note else ())
    except InputError as err:
        return err


def parse_paths(paths: Iterable[str | Path], fmt: str | None = None,
                checksum_policy: ChecksumPolicy = "verify", workers: int | None = None,
                ) -> Iterator[tuple[str, ParsedSource | InputError]]:
    """(source, parsed source or its InputError) for each file of the paths (files,
    directories, tar archives), in order; a path that cannot be opened is an error in
    its place and the rest go on. Four or more files (a history archive of dozens of
    snapshots) are parsed in worker processes, a few files ahead of the caller, who
    stores them in order."""
    items = itertools.chain.from_iterable(_sources_or_error(Path(p)) for p in paths)
    head = list(itertools.islice(items, 4))
    workers = min(workers or usable_cpus(), 4)
    if len(head) < 4 or workers < 2:
        for source, read in head:
            try:
                yield source, parse_bytes(source, read(), fmt, checksum_policy)
            except InputError as err:
                yield source, err
        return
    with worker_pool(workers) as pool:
        pending: collections.deque = collections.deque()
        for source, read in itertools.chain(head, items):
            try:
                pending.append((source, pool.submit(parse_bytes, source, read(), fmt,
                                                    checksum_policy)))
            except InputError as err:
                pending.append((source, err))
            while len(pending) > 2 * workers:  # bounded: memory stays flat
                yield _resolved(*pending.popleft())
        while pending:
            yield _resolved(*pending.popleft())


def _resolved(source: str, work: Future | InputError) -> tuple[str, Any]:
    return source, (work.result() if isinstance(work, Future) else work)


def _sources_or_error(path: Path) -> Iterator[tuple[str, Callable[[], bytes]]]:
    """:func:`sources`, with a path that cannot be opened given as a reader that raises
    its error."""
    try:
        yield from sources(path)
    except InputError as err:
        def fail(err: InputError = err) -> bytes:
            raise err

        yield str(path), fail


def store_parsed(store: CatalogStore, parsed: ParsedSource) -> LoadReport:
    """Store one parsed source in one transaction."""
    r = parsed.result
    if parsed.fmt == "satcat":
        report = store.load_satcat(r.records, r.rejects, source=parsed.source,
                                   sha256=parsed.sha256)
    else:
        report = store.load_elements(r.records, r.rejects, source=parsed.source,
                                     fmt=parsed.fmt, sha256=parsed.sha256)
    return dataclasses.replace(report, notes=parsed.notes) if parsed.notes else report


def load_path(
    store: CatalogStore, path: str | Path, *, fmt: str | None = None,
    checksum_policy: ChecksumPolicy = "verify",
) -> LoadReport:
    """Load a file of element sets (TLE/3LE/2LE, OMM JSON/CSV/XML/KVN) or SATCAT CSV."""
    text, note = read_text_noting(path)
    return load_text(store, text, source=str(path), fmt=fmt, checksum_policy=checksum_policy,
                     notes=(note,) if note else ())
