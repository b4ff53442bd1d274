from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("", views.org_list, name="list"),
    path("<slug:key>/", views.detail, name="detail"),
]
