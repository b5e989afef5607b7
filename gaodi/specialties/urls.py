from django.urls import path

from . import (
    views,
    views_catalogue,
    views_feed,
    views_offerings,
    views_rule_sets,
    views_supply_demand,
    views_supply_parameters,
)

app_name = "specialties"

urlpatterns = [
    path("plans/<int:pk>/warnings/", views.warnings, name="warnings"),
    path("plans/<int:pk>/warnings/recompute/", views.recompute, name="recompute"),
    path("plans/<int:pk>/rule-sets/", views_rule_sets.rule_sets, name="rule_sets"),
    path("plans/<int:pk>/rule-sets/new/", views_rule_sets.rule_set_new, name="rule_set_new"),
    path("plans/<int:pk>/layout-feed/", views_feed.feed, name="feed"),
    path("plans/<int:pk>/offerings/", views_offerings.offerings, name="offerings"),
    path(
        "plans/<int:pk>/offerings/record/",
        views_offerings.offering_record,
        name="offering_record",
    ),
    path(
        "plans/<int:pk>/offerings/import/",
        views_offerings.offering_import,
        name="offering_import",
    ),
    path(
        "plans/<int:pk>/offerings/template.xlsx",
        views_offerings.offering_template,
        name="offering_template",
    ),
    path("plans/<int:pk>/catalogue/", views_catalogue.catalogue, name="catalogue"),
    path(
        "plans/<int:pk>/catalogue/template.xlsx",
        views_catalogue.catalogue_template,
        name="catalogue_template",
    ),
    path(
        "plans/<int:pk>/catalogue/import/",
        views_catalogue.catalogue_import,
        name="catalogue_import",
    ),
    path("plans/<int:pk>/supply-demand/", views_supply_demand.supply_demand, name="supply_demand"),
    path(
        "plans/<int:pk>/supply-demand/parameters/",
        views_supply_parameters.supply_parameters,
        name="supply_parameters",
    ),
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
