from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("provinces/<str:code>/", views.province, name="province"),
    path("provinces/<str:code>/charts/<str:name>/", views.chart_embed, name="chart"),
    path("provinces/<str:code>/charts/<str:name>.csv", views.chart_csv, name="chart_csv"),
    path("organisations/<slug:key>/", views.organisation, name="organisation"),
    path("organisations/<slug:key>/charts/<str:name>/", views.chart_embed, name="org_chart"),
    path("organisations/<slug:key>/charts/<str:name>.csv", views.chart_csv, name="org_chart_csv"),
]
