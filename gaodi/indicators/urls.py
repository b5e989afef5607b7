from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("plans/<int:pk>/", views.registry, name="registry"),
    path("plans/<int:pk>/entry/<int:unit_pk>/<str:period>/", views.entry, name="entry"),
]
