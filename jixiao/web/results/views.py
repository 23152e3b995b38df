from django.http import HttpRequest, HttpResponse


def index(request: HttpRequest) -> HttpResponse:
    return HttpResponse("结果应用")


def rectifications(request: HttpRequest) -> HttpResponse:
    return HttpResponse("整改事项")
