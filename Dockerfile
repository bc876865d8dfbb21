FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
       fonts-noto-core fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 portal
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir -e .
COPY . .
# The six languages' catalogs, compiled in Python (no GNU gettext in the image).
RUN python -m sg17portal.catalogs compile
# Static files as production names them (hashed, with their manifest): the web nodes read the manifest from here,
# and the migrate service copies the same files into the volume nginx serves. The key exists only for this step.
# The folders named volumes mount on belong to the user the containers run as, so new volumes do too.
RUN DJANGO_ENV=production ALLOWED_HOSTS=build SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    STATIC_ROOT=/app/var/static python manage.py collectstatic --noinput -v0 \
    && mkdir -p /app/var/media /app/var/static \
    && chown -R portal:portal /app/var
USER portal
EXPOSE 8000
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "sg17portal.wsgi:application"]
