"""The application layer: each workflow written once, for the CLI and the HTTP service
alike (they only parse their own input and render their own output).

- :mod:`.inputs`: catalog-number lists and UTC times from user text, errors naming the
  parameter;
- :mod:`.tables`: rows as CSV, one float format for every output;
- :mod:`.selection`: satellites by catalog numbers and/or name at a time;
- :mod:`.screening`: snapshot -> screen -> store, from one request type;
- :mod:`.geometry`: tracks, catalog positions and event geometry (SGP4 and frames stay
  below the interfaces).
"""
