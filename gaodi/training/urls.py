from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("plans/<int:pk>/", views.records, name="records"),
    path("plans/<int:pk>/record/", views.record_view, name="record"),
    path("plans/<int:pk>/upload/", views.upload_view, name="upload"),
    path("plans/<int:pk>/template/", views.upload_template, name="template"),
    path("plans/<int:pk>/feed/", views.feed_view, name="feed"),
    path("plans/<int:pk>/pay/", views.pay, name="pay"),
    path("plans/<int:pk>/pay/inputs/", views.pay_inputs_view, name="pay_inputs"),
    path("plans/<int:pk>/parameters/", views.parameters_view, name="parameters"),
]
