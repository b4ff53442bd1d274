"""Open311 GeoReport v2 (clinic.open311), included at /open311/v2/."""
from django.urls import re_path

from . import open311

FMT = r"\.(?P<fmt>[A-Za-z0-9]{1,10})$"
app_name = "open311"
urlpatterns = [
    re_path(r"^discovery" + FMT, open311.discovery, name="discovery"),
    re_path(r"^services" + FMT, open311.services, name="services"),
    re_path(r"^services/(?P<code>[-\w]{1,40})" + FMT, open311.service_definition, name="service"),
    re_path(r"^requests" + FMT, open311.requests_, name="requests"),
    re_path(r"^requests/(?P<reference>[-\w]{1,40})" + FMT, open311.request_detail, name="request"),
]
