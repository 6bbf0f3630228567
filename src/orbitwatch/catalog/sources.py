"""Fetch element sets and SATCAT from the providers, within their usage rules.

* CelesTrak GP (``gp.php``) by group or catalog numbers, OMM JSON or CSV, and SATCAT
  CSV. CelesTrak updates GP data every 2 hours and asks that the same data is not
  downloaded more often: a cached answer younger than that is reused (its age is
  reported), never fetched again.
* Space-Track ``class/gp`` (the current element set of every object on orbit), with
  credentials from ``SPACETRACK_IDENTITY`` / ``SPACETRACK_PASSWORD``.

Every network call goes through an ``httpx.Client`` that tests replace with one on a
``MockTransport`` serving recorded answers.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from orbitwatch.errors import InputError, SourceError

CELESTRAK_GP_URL = "https://celestrak.org/NORAD/elements/gp.php"
CELESTRAK_SATCAT_URL = "https://celestrak.org/satcat/records.php"
CELESTRAK_SPACE_WEATHER_URL = "https://celestrak.org/SpaceData/SW-All.txt"
SPACETRACK_BASE = "https://www.space-track.org"
CELESTRAK_MIN_INTERVAL = timedelta(hours=2)
_NO_DATA = re.compile(r"^\s*No (?:Sup)?GP data found\s*$", re.IGNORECASE)
_USER_AGENT = "orbitwatch (open SSA; https://pypi.org/project/orbitwatch)"


@dataclass(frozen=True, slots=True)
class Fetched:
    """A provider answer: its text, where it came from, and how old the copy is."""

    url: str
    text: str
    fmt: str
    fetched_utc: datetime
    from_cache: bool

    @property
    def age(self) -> timedelta:
        return datetime.now(UTC) - self.fetched_utc

    @property
    def empty(self) -> bool:
        """True for the provider's 'No GP data found' answer: valid, with no records."""
        return bool(_NO_DATA.match(self.text))


class ResponseCache:
    """Provider answers on disk, one file per URL, with the time they were fetched."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha1(url.encode()).hexdigest()[:20]
        return self.directory / f"{key}.body", self.directory / f"{key}.json"

    def get(self, url: str) -> tuple[str, datetime] | None:
        body, meta = self._paths(url)
        if not (body.exists() and meta.exists()):
            return None
        info = json.loads(meta.read_text())
        return body.read_text(), datetime.fromisoformat(info["fetched_utc"])

    def put(self, url: str, text: str, fetched: datetime) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        body, meta = self._paths(url)
        body.write_text(text)
        meta.write_text(json.dumps({"url": url, "fetched_utc": fetched.isoformat()}))


def _celestrak_query(group: str | None, catnr: list[int] | None, fmt: str) -> dict[str, str]:
    if fmt not in ("json", "csv"):
        raise InputError(f"CelesTrak GP format must be json or csv, got {fmt!r}")
    if bool(group) == bool(catnr):
        raise InputError("give either a CelesTrak group (e.g. 'active') or catalog numbers")
    if group is not None and not re.fullmatch(r"[a-z0-9-]+", group):
        raise InputError(f"not a CelesTrak group name: {group!r} (e.g. active, stations)")
    query = {"FORMAT": fmt}
    if group:
        query["GROUP"] = group
    else:
        query["CATNR"] = ",".join(str(int(n)) for n in catnr or [])
    return query


class CelesTrakClient:
    """CelesTrak GP and SATCAT, cached for at least two hours per dataset."""

    def __init__(self, cache_dir: Path, client: httpx.Client | None = None,
                 min_interval: timedelta = CELESTRAK_MIN_INTERVAL) -> None:
        self.cache = ResponseCache(cache_dir)
        self.client = client or httpx.Client(timeout=60.0, headers={"User-Agent": _USER_AGENT},
                                             follow_redirects=True)
        self.min_interval = max(min_interval, CELESTRAK_MIN_INTERVAL)

    def _get(self, base: str, params: dict[str, str], fmt: str) -> Fetched:
        url = str(httpx.URL(base, params=params))
        cached = self.cache.get(url)
        now = datetime.now(UTC)
        if cached is not None and now - cached[1] < self.min_interval:
            return Fetched(url, cached[0], fmt, cached[1], from_cache=True)
        try:
            resp = self.client.get(url)
        except httpx.HTTPError as err:
            if cached is not None:
                return Fetched(url, cached[0], fmt, cached[1], from_cache=True)
            raise SourceError(f"{url}: request failed: {err}")
        if resp.status_code == 404 and _NO_DATA.match(resp.text):
            text = resp.text  # an empty but valid answer
        elif resp.status_code == 403:
            raise SourceError(f"{url}: CelesTrak refused the request (HTTP 403); it limits "
                              "repeated downloads, try again after two hours")
        elif resp.status_code != 200:
            raise SourceError(f"{url}: HTTP {resp.status_code}: {resp.text[:200]!r}")
        else:
            text = resp.text
        self.cache.put(url, text, now)
        return Fetched(url, text, fmt, now, from_cache=False)

    def gp(self, *, group: str | None = None, catnr: list[int] | None = None,
           fmt: str = "json") -> Fetched:
        """Current GP element sets of a group ('active', 'stations', ...) or objects."""
        return self._get(CELESTRAK_GP_URL, _celestrak_query(group, catnr, fmt), fmt)

    def satcat(self, *, group: str | None = None, catnr: list[int] | None = None) -> Fetched:
        """SATCAT records (CSV) of a group or of catalog numbers."""
        params = _celestrak_query(group or None, catnr, "csv")
        return self._get(CELESTRAK_SATCAT_URL, params, "satcat")


    def space_weather(self) -> Fetched:
        """The space-weather file (observed, daily- and monthly-predicted F10.7 and Ap)."""
        return self._get(CELESTRAK_SPACE_WEATHER_URL, {}, "space-weather")


class SpaceTrackClient:
    """Space-Track GP class (needs a free account; credentials never cached)."""

    def __init__(self, identity: str | None = None, password: str | None = None,
                 client: httpx.Client | None = None) -> None:
        self.identity = identity or os.environ.get("SPACETRACK_IDENTITY")
        self.password = password or os.environ.get("SPACETRACK_PASSWORD")
        if not (self.identity and self.password):
            raise InputError("Space-Track needs credentials: set SPACETRACK_IDENTITY and "
                             "SPACETRACK_PASSWORD (a free account at space-track.org)")
        self.client = client or httpx.Client(base_url=SPACETRACK_BASE, timeout=120.0,
                                             headers={"User-Agent": _USER_AGENT})

    def gp(self, catnr: list[int] | None = None) -> Fetched:
        """Latest GP element set of every object on orbit (or of the given ones), JSON."""
        login = self.client.post("/ajaxauth/login",
                                 data={"identity": self.identity, "password": self.password})
        if login.status_code != 200 or "Failed" in login.text:
            raise SourceError(f"Space-Track login failed (HTTP {login.status_code}): "
                              "check SPACETRACK_IDENTITY and SPACETRACK_PASSWORD")
        path = "/basicspacedata/query/class/gp/decay_date/null-val/epoch/%3Enow-30"
        if catnr:
            path += "/norad_cat_id/" + ",".join(str(int(n)) for n in catnr)
        path += "/orderby/norad_cat_id/format/json"
        resp = self.client.get(path)
        if resp.status_code != 200:
            raise SourceError(f"Space-Track {path}: HTTP {resp.status_code}: {resp.text[:200]!r}")
        return Fetched(SPACETRACK_BASE + path, resp.text, "json", datetime.now(UTC), False)
