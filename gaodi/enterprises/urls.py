from django.urls import path

from . import views

app_name = "enterprises"

urlpatterns = [
    path("plans/<int:pk>/", views.register, name="register"),
    path("plans/<int:pk>/add/", views.add, name="add"),
    path("plans/<int:pk>/parameters/", views.parameters, name="parameters"),
    path("plans/<int:pk>/<int:enterprise>/", views.detail, name="detail"),
    path("plans/<int:pk>/<int:enterprise>/step/", views.step, name="step"),
    path("plans/<int:pk>/<int:enterprise>/cooperation/", views.cooperation, name="cooperation"),
    path("plans/<int:pk>/<int:enterprise>/investment/", views.investment, name="investment"),
    path("plans/<int:pk>/<int:enterprise>/surcharge/", views.surcharge, name="surcharge"),
    path("plans/<int:pk>/<int:enterprise>/account/", views.open_unit, name="account"),
]
