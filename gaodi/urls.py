"""Gaodi's URLs. Only the Django admin for now; each app adds its own ``urls.py``."""

from django.contrib import admin
from django.urls import path

urlpatterns = [
    path("admin/", admin.site.urls),
]
