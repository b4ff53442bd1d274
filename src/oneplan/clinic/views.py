from django.http import HttpResponse


def index(request):
    return HttpResponse("")


def report_detail(request, reference):
    return HttpResponse("")
