"""Gaodi's URLs: the public portal at /, the signed-in pages, the API under /api/v1/."""

from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("gaodi.api.urls")),
    path("accounts/", include("gaodi.accounts.urls")),
    path("plans/", include("gaodi.plans.urls")),
    path("history/", include("gaodi.audit.urls")),
    path("indicators/", include("gaodi.indicators.urls")),
    path("supervision/", include("gaodi.supervision.urls")),
    path("specialties/", include("gaodi.specialties.urls")),
    path("achievements/", include("gaodi.achievements.urls")),
    path("enterprises/", include("gaodi.enterprises.urls")),
    path("training/", include("gaodi.training.urls")),
    path("funding/", include("gaodi.funding.urls")),
    path("teachers/", include("gaodi.teachers.urls")),
    path("credits/", include("gaodi.credits.urls")),
    path("", include("gaodi.portal.urls")),
]
