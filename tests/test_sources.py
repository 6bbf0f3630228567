"""Provider fetches on recorded responses (no network): CelesTrak caching and policy,
empty answers, refusals, Space-Track login."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from orbitwatch.catalog import CatalogStore, load_text
from orbitwatch.catalog.sources import CelesTrakClient, SpaceTrackClient
from orbitwatch.catalog.synth import synthesize
from orbitwatch.errors import InputError, SourceError
from orbitwatch.formats.omm import write_omm_json


def _recorded_gp() -> str:
    """A CelesTrak-shaped GP JSON answer, generated here (no provider data shipped)."""
    return write_omm_json([o.elements for o in synthesize(5, seed=9)])


class Recorder:
    def __init__(self, responses: dict[str, httpx.Response]) -> None:
        self.responses = responses
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        for key, resp in self.responses.items():
            if key in str(request.url):
                return resp
        return httpx.Response(404, text="unexpected request")


def test_celestrak_gp_downloaded_once_per_two_hours(tmp_path: Path) -> None:
    rec = Recorder({"GROUP=stations": httpx.Response(200, text=_recorded_gp())})
    client = CelesTrakClient(tmp_path, httpx.Client(transport=httpx.MockTransport(rec)))
    first = client.gp(group="stations")
    second = client.gp(group="stations")
    assert not first.from_cache and second.from_cache
    assert len(rec.requests) == 1 and "FORMAT=json" in str(rec.requests[0].url)
    with CatalogStore(tmp_path / "c.db") as store:
        assert load_text(store, second.text, source=second.url).n_added == 5
    # Older than two hours: fetched again.
    meta = next(tmp_path.glob("*.json"))
    info = json.loads(meta.read_text())
    info["fetched_utc"] = (datetime.now(UTC) - timedelta(hours=3)).isoformat()
    meta.write_text(json.dumps(info))
    assert not client.gp(group="stations").from_cache
    assert len(rec.requests) == 2


def test_no_data_answer_is_empty_not_an_error(tmp_path: Path) -> None:
    rec = Recorder({"CATNR": httpx.Response(404, text="No GP data found")})
    client = CelesTrakClient(tmp_path, httpx.Client(transport=httpx.MockTransport(rec)))
    got = client.gp(catnr=[270449], fmt="csv")
    assert got.empty and "CATNR=270449" in got.url


def test_refusal_and_bad_queries(tmp_path: Path) -> None:
    rec = Recorder({"GROUP=active": httpx.Response(403, text="Forbidden")})
    client = CelesTrakClient(tmp_path, httpx.Client(transport=httpx.MockTransport(rec)))
    with pytest.raises(SourceError, match="two hours"):
        client.gp(group="active")
    with pytest.raises(InputError):
        client.gp(group="active", catnr=[1])
    with pytest.raises(InputError):
        client.gp(group="../etc")


def test_spacetrack_logs_in_then_queries() -> None:
    rec = Recorder({"ajaxauth/login": httpx.Response(200, text='""'),
                    "class/gp": httpx.Response(200, text=_recorded_gp())})
    http = httpx.Client(base_url="https://www.space-track.org",
                        transport=httpx.MockTransport(rec))
    got = SpaceTrackClient("me@example.org", "secret", client=http).gp(catnr=[1, 2])
    assert [r.method for r in rec.requests] == ["POST", "GET"]
    assert "norad_cat_id/1,2" in str(rec.requests[1].url)
    assert json.loads(got.text)[0]["NORAD_CAT_ID"] == 1


def test_spacetrack_needs_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SPACETRACK_IDENTITY", raising=False)
    monkeypatch.delenv("SPACETRACK_PASSWORD", raising=False)
    with pytest.raises(InputError, match="SPACETRACK_IDENTITY"):
        SpaceTrackClient()
