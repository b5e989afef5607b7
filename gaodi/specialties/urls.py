from django.urls import path

from . import views, views_supply_demand

app_name = "specialties"

urlpatterns = [
    path("plans/<int:pk>/warnings/", views.warnings, name="warnings"),
    path("plans/<int:pk>/warnings/recompute/", views.recompute, name="recompute"),
    path("plans/<int:pk>/supply-demand/", views_supply_demand.supply_demand, name="supply_demand"),
    path("plans/<int:pk>/supply-demand/declare/", views_supply_demand.declare, name="declare"),
    path("plans/<int:pk>/supply-demand/publish/", views_supply_demand.publish, name="publish"),
    path(
        "plans/<int:pk>/supply-demand/upload/",
        views_supply_demand.declarations_upload,
        name="declarations_upload",
    ),
    path(
        "plans/<int:pk>/supply-demand/template/",
        views_supply_demand.declarations_template,
        name="declarations_template",
    ),
    path(
        "plans/<int:pk>/supply-demand/bulletins/<int:bulletin_pk>/",
        views_supply_demand.bulletin,
        name="bulletin",
    ),
    path(
        "plans/<int:pk>/supply-demand/bulletins/<int:bulletin_pk>/xlsx/",
        views_supply_demand.bulletin_xlsx,
        name="bulletin_xlsx",
    ),
]
