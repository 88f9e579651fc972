# The Crisis Table application image: the ASGI server, Celery workers and beat all run from it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=wargame.settings_production

WORKDIR /app
RUN useradd --system --create-home --uid 10001 crisis

# Runtime dependencies only (no dev tools, no pygambit), pinned by constraints.txt; cached until they change.
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install --requirement /tmp/requirements.txt --constraint constraints.txt \
    && rm /tmp/requirements.txt

COPY . .
# collectstatic only reads settings; the key and host here are placeholders that never serve a request.
RUN SECRET_KEY=collectstatic-only-placeholder ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
    && chown -R crisis:crisis /app

USER crisis
EXPOSE 8000
CMD ["uvicorn", "wargame.asgi:application", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers", \
     "--forwarded-allow-ips", "*", "--ws-max-size", "65536", "--lifespan", "on"]
