"""Following a report job in tests as a person would: the link they clicked sends them to the job's
page; the finished job links to its file (the suite runs jobs at once: ONEPLAN_TASKS=immediate)."""
import re

from django.urls import reverse


def follow_to_file(client, response):
    """The file behind a report link: response is the 302 to the job page."""
    assert response.status_code == 302, response.status_code
    page = client.get(response.url)
    assert page.status_code == 200
    html = page.content.decode()
    job_id = response.url.rstrip("/").split("/")[-1]
    link = reverse("jobs:file", args=[job_id])
    assert f'href="{link}"' in html, re.sub(r"\s+", " ", html)[-1500:]
    return client.get(link)
