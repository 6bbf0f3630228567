"""HTTP API and web UI (FastAPI; ``pip install orbitwatch[serve]``)."""
