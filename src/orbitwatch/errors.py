"""Every exception orbitwatch raises on purpose.

Hierarchy::

    OrbitwatchError                    base; the CLI maps it to exit code 1
    ├── InputError(ValueError)         bad user input; the CLI exits 2
    │   ├── RecordError                one record of a file is malformed: carries
    │   │   │                          source, line_no, field and the raw text
    │   │   ├── TLEFormatError
    │   │   ├── OMMFormatError
    │   │   ├── SatcatFormatError
    │   │   └── CDMFormatError
    │   ├── FileFormatError            a whole file cannot be read (cut JSON, bad XML)
    │   └── TLEWriteError              an element set that has no TLE form
    ├── StoreError                     the catalog database cannot do what was asked
    │   └── NotFoundError              no such object, run, event or job (HTTP 404)
    ├── SourceError                    a provider fetch failed or was refused by policy
    ├── ClusterError                   the Dask cluster went away mid-run and stayed away
    ├── BusyError                      the service's job queue is full (HTTP 429)
    ├── AuthError                      a request lacks the service's token (HTTP 401)
    └── MissingExtraError              an optional part (plots, serve) is not installed;
                                       the message gives the pip command

Inside a batch, a bad record is not raised: parsers turn a ``RecordError`` into a
:class:`orbitwatch.formats.Reject` and go on with the next record.
"""

from __future__ import annotations


class OrbitwatchError(Exception):
    """Base of every error orbitwatch raises on purpose."""


class InputError(OrbitwatchError, ValueError):
    """The user gave something orbitwatch cannot use; the message says what and where."""


class RecordError(InputError):
    """One record of a file is malformed.

    ``source`` is the file name or URL, ``line_no`` the 1-based line where the record
    starts (or the record index for formats without lines), ``field`` the field name.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line_no: int | None = None,
        field: str | None = None,
        raw: str | None = None,
    ) -> None:
        self.reason = message
        self.source = source
        self.line_no = line_no
        self.field = field
        self.raw = raw
        super().__init__(self._render())

    def _render(self) -> str:
        where = []
        if self.source:
            where.append(str(self.source))
        if self.line_no is not None:
            where.append(f"line {self.line_no}")
        if self.field:
            where.append(f"field {self.field}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.reason}" if prefix else self.reason

    def located(self, source: str | None, line_no: int | None) -> RecordError:
        """Return the same error with its place filled in where it was missing."""
        if self.source is None:
            self.source = source
        if self.line_no is None:
            self.line_no = line_no
        self.args = (self._render(),)
        return self


class TLEFormatError(RecordError):
    """A TLE, 3LE or 2LE set breaks the column layout, a field's syntax or its checksum."""


class OMMFormatError(RecordError):
    """An OMM record (JSON, CSV, XML or KVN) lacks a keyword or has a bad value."""


class SatcatFormatError(RecordError):
    """A SATCAT row lacks a column or has a bad value."""


class CDMFormatError(RecordError):
    """A CDM lacks a mandatory keyword, has an unknown one, or a bad value."""


class FileFormatError(InputError):
    """A whole file cannot be read: unknown format, truncated JSON, malformed XML."""


class TLEWriteError(InputError):
    """An element set cannot be written as a TLE (catalog number above 339999, ...)."""


class StoreError(OrbitwatchError):
    """The catalog database cannot do what was asked."""


class NotFoundError(StoreError):
    """What was asked for is not stored: an object, a screening run, an event, a job."""


class SourceError(OrbitwatchError):
    """A provider fetch failed, or was refused by the provider's usage policy."""


class ClusterError(OrbitwatchError):
    """The Dask cluster a run was sent to went away and did not come back in time."""


class MissingExtraError(OrbitwatchError):
    """An optional part of orbitwatch is not installed (not bad input: the CLI exits 1)."""

    def __init__(self, what: str, extra: str) -> None:
        super().__init__(f"{what} needs the optional extra [{extra}]: "
                         f"pip install 'orbitwatch[{extra}]'")
        self.extra = extra


class BusyError(OrbitwatchError):
    """Too much work is already waiting; try again later (HTTP 429)."""


class AuthError(OrbitwatchError):
    """The request needs the service's API token and did not give it (HTTP 401)."""
