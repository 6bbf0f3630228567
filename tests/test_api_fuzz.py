"""Fuzz the HTTP API against its own OpenAPI spec (schemathesis): no malformed request
gets a 500, every answer matches the documented status codes, content types and
schemas, and schema-invalid requests get a 4xx. Every operation, POST included: a valid
screening request starts a job, and with one job allowed to wait the others get 429."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from orbitwatch.service.app import create_app
from tests.conftest import new_pg_database
from tests.env_helpers import write_space_weather
from tests.service_helpers import cli_ok, synthetic_db


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def api_schema(request, tmp_path_factory):
    # a small catalog keeps every generated request cheap; one stored run to read. On
    # PostgreSQL too: its text cannot hold NUL, which SQLite's can
    folder = tmp_path_factory.mktemp("fuzz")
    with contextlib.ExitStack() as stack:
        location = (stack.enter_context(new_pg_database())
                    if request.param == "postgresql" else None)
        db = synthetic_db(folder, objects=300, db=location)
        cli_ok("screen", "--db", str(db), "--at", "2026-01-01T00:00:00Z", "--days", "0.5",
               "--workers", "1")
        sw = write_space_weather(folder / "sw.txt", date(2015, 1, 1), date(2045, 1, 1),
                                 predicted_from=date(2026, 1, 1))
        app = create_app(db, workers=1, max_waiting_jobs=1, space_weather=sw,
                         allowed_hosts=("testserver", "localhost", "127.0.0.1"))
        yield schemathesis.openapi.from_asgi("/openapi.json", app)


def test_api_conforms_and_never_fails(api_schema):
    operations = [r.ok() for r in api_schema.get_all_operations()]
    fuzzed = operations
    assert len(fuzzed) >= 16 and any(op.method.upper() == "POST" for op in fuzzed)
    for op in fuzzed:

        @given(case=op.as_strategy())
        @settings(max_examples=30, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
        def fuzz(case):
            # schema-valid is not always meaningful (a country name, a time string, a
            # regular expression): those get a 400 naming the field, by design
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        try:
            fuzz()
        except Exception as exc:
            raise AssertionError(f"{op.method.upper()} {op.path}: {exc}") from exc
