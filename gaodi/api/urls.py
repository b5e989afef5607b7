"""REST API under /api/v1/ (django-ninja): the API itself and its locally served docs assets."""

from django.urls import URLPattern, URLResolver, path

from .docs import ASSET_URL_NAME, swagger_asset
from .site import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("docs/assets/<str:name>", swagger_asset, name=ASSET_URL_NAME),
    path("", api.urls),
]
