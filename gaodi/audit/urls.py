from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("user/<int:user_pk>/", views.by_user, name="by_user"),
]
