from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("plans/<int:pk>/", views.registry, name="registry"),
]
