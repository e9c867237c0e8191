"""Serving a written export: the one way a stored file leaves the site.

An app's download (registry.Download) is kept gzip-compressed: a client that accepts gzip
gets those very bytes (``Content-Encoding: gzip``; the browser saves the JSON), any other
client the JSON decompressed as it is sent. Either way the request reads a file and costs
no work of the app's."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header

from .models import Export
from .services import download_name

CHUNK = 1 << 20


def accepts_gzip(request: HttpRequest) -> bool:
    """Whether the client said it accepts gzip (and not with ``q=0``)."""
    for part in request.headers.get("Accept-Encoding", "").split(","):
        coding, *params = (piece.strip() for piece in part.split(";"))
        if coding.lower() not in ("gzip", "x-gzip"):
            continue
        for param in params:
            name, _eq, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    return float(value) > 0
                except ValueError:
                    return False
        return True
    return False


def _unzipped(path: Path) -> Iterator[bytes]:
    with gzip.open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            yield chunk


def serve(
    request: HttpRequest, export: Export, filename: str | None = None
) -> FileResponse | StreamingHttpResponse:
    """The ready export's file as an attachment, saved as ``filename`` (by default the
    export's own name); the caller has checked that the reader may have it and that it is
    there (``export.file_available``)."""
    name = filename or download_name(export)
    if not export.is_download:
        return FileResponse(open(export.path, "rb"), as_attachment=True, filename=name)
    response: FileResponse | StreamingHttpResponse
    if accepts_gzip(request):
        stored = open(export.path, "rb")  # noqa: SIM115 (the response closes it)
        response = FileResponse(
            stored,
            as_attachment=True,
            filename=name,
            content_type="application/json",
        )
        response["Content-Encoding"] = "gzip"
    else:
        response = StreamingHttpResponse(_unzipped(export.path), content_type="application/json")
        response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response
