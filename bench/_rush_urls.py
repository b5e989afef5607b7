"""Gaodi's URLs plus ``/bench-ping/``: the least a Django view under the same gunicorn, the
same settings and the same middleware can do (the rush's baseline)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from gaodi.urls import urlpatterns as gaodi_urlpatterns


def ping(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench-ping/", ping), *gaodi_urlpatterns]
