FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 portal
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir -e . 
COPY . .
RUN DJANGO_ENV=development python manage.py collectstatic --noinput -v0 \
    && mkdir -p /app/var && chown -R portal:portal /app/var
USER portal
EXPOSE 8000
CMD ["gunicorn", "sg17portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--no-control-socket"]
