from django.urls import path

from . import views

app_name = "clinic"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.report_new, name="new"),
    path("places/", views.places, name="places"),
    path("reports/<str:reference>/", views.report_detail, name="report"),
    path("reports/<str:reference>/follow/<str:token>/", views.follow, name="follow"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("desk/", views.desk, name="desk"),
    path("desk/<str:reference>/", views.staff_report, name="staff_report"),
    path("desk/<str:reference>/<slug:slug>/", views.step, name="step"),
]
