"""The HTTP service: a FastAPI app over one catalog database, and the web UI's files.

``create_app(db_path)`` builds the app; ``orbitwatch serve`` runs it with uvicorn on
loopback. Every request opens its own SQLite connection (WAL mode: many readers while
a screening job writes). Errors: bad input 400 or 422 with a message saying what and
where, unknown objects or runs 404; a malformed request never gets a 500.
"""

from __future__ import annotations

import hmac
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware

from orbitwatch._version import __version__
from orbitwatch.catalog import CatalogStore
from orbitwatch.core.time import iso_ms
from orbitwatch.database import DatabaseLocation
from orbitwatch.errors import BusyError, InputError, NotFoundError, OrbitwatchError
from orbitwatch.service.api_access import router as access_router
from orbitwatch.service.api_behaviour import router as behaviour_router
from orbitwatch.service.api_catalog import router as catalog_router
from orbitwatch.service.api_environment import router as environment_router
from orbitwatch.service.api_runs import router as runs_router
from orbitwatch.service.jobs import JobManager
from orbitwatch.service.state import ServiceState

STATIC = Path(str(resources.files("orbitwatch.service").joinpath("static")))


#: Host names the service answers to unless told more: loopback only, so that a web page
#: elsewhere cannot reach it through DNS rebinding.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def create_app(db_path: DatabaseLocation, *, workers: int | None = None, token: str | None = None,
               allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS,
               max_waiting_jobs: int = 4, space_weather: Path | None = None,
               dask_address: str | None = None) -> FastAPI:
    """The orbitwatch API and web UI over the catalog database at ``db_path``.

    ``token``: when given, every request that starts work or changes data (any method
    but GET, HEAD, OPTIONS) must carry ``Authorization: Bearer <token>``. Requests
    whose Host header is not in ``allowed_hosts`` get 400. At most
    ``max_waiting_jobs`` screening jobs wait or run at once (then 429). ``space_weather``:
    CelesTrak's space-weather file for re-entry predictions (default: the copy fetched
    next to the catalog). ``dask_address``: screening jobs run on that Dask scheduler."""
    app = FastAPI(
        docs_url=None,  # served below from the package's own Swagger UI assets (offline)
        title="orbitwatch",
        version=__version__,
        description="Open space situational awareness: catalog, conjunction screening, "
                    "collision risk, CCSDS CDMs and access planning. Distances carry "
                    "their unit in the field name; times are UTC ISO-8601; every Pc "
                    "states its method and covariance.",
    )
    with CatalogStore(db_path):  # creates the schema once, before readers arrive
        pass
    app.state.ow = ServiceState(db_path, JobManager(db_path, workers=workers,
                                                    max_waiting=max_waiting_jobs,
                                                    dask_address=dask_address),
                                space_weather)
    app.state.ow.jobs.resume()  # the jobs a previous service left queued or running
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))

    @app.middleware("http")
    async def _token(request: Request, call_next):
        if token and request.method not in _SAFE_METHODS:
            given = request.headers.get("authorization", "")
            if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
                return JSONResponse({"detail": "this request starts work or changes data: "
                                     "give the service's token (Authorization: Bearer ...)"},
                                    status_code=401, headers={"WWW-Authenticate": "Bearer"})
        return await call_next(request)

    @app.exception_handler(BusyError)
    async def _busy(_: Request, exc: BusyError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=429,
                            headers={"Retry-After": "60"})

    @app.exception_handler(InputError)
    async def _bad_input(_: Request, exc: InputError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(NotFoundError)
    async def _not_found(_: Request, exc: NotFoundError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=404)

    @app.exception_handler(OrbitwatchError)
    async def _failed(_: Request, exc: OrbitwatchError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=500)

    @app.get("/api/health", tags=["service"])
    def health() -> dict[str, Any]:
        """Software version and what the database holds."""
        with CatalogStore(db_path) as store:
            counts = store.counts()
            newest = store.newest_epoch_us()
            engine = store.db.server_version()
        return {"software": f"orbitwatch {__version__}", "database": str(store.path),
                "engine": engine, **counts,
                "newest_epoch_utc": iso_ms(newest) if newest is not None else None}

    app.include_router(catalog_router, prefix="/api")
    app.include_router(runs_router, prefix="/api")
    app.include_router(access_router, prefix="/api")
    app.include_router(environment_router, prefix="/api")
    app.include_router(behaviour_router, prefix="/api")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """The API's documentation page, with no download from a CDN."""
        return get_swagger_ui_html(openapi_url="/openapi.json", title="orbitwatch API",
                                   swagger_js_url="/static/vendor/swagger-ui-bundle.js",
                                   swagger_css_url="/static/vendor/swagger-ui.css",
                                   swagger_favicon_url="/static/vendor/favicon.svg")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    return app
