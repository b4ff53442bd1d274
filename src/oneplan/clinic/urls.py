from django.urls import path

from . import views

app_name = "clinic"
urlpatterns = [
    path("", views.index, name="index"),
    path("reports/<str:reference>/", views.report_detail, name="report"),
]
