from django.urls import path

from . import views

app_name = "funding"

urlpatterns = [
    path("plans/<int:pk>/", views.overview_view, name="overview"),
    path("plans/<int:pk>/surcharge/", views.record_surcharge_view, name="surcharge"),
    path("plans/<int:pk>/appropriation/", views.record_appropriation_view, name="appropriation"),
    path("plans/<int:pk>/debts/", views.record_debt_view, name="debt"),
    path("plans/<int:pk>/debts/<int:debt_pk>/resolve/", views.resolve_debt_view, name="resolve"),
    path("plans/<int:pk>/rules/", views.record_rules_view, name="rules"),
    path("plans/<int:pk>/feed/", views.feed_view, name="feed"),
]
