# Leaderful: the SPA is built with Node, the API runs on a slim Python image with the uv-synced env.
# Kept in step with the Makefile: `npm ci && npm run build`, `uv sync --frozen`, migrate, serve.

FROM node:20-bookworm-slim AS spa
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
COPY openapi/ /src/openapi/
RUN npm run build

FROM python:3.11-slim-bookworm AS app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy
RUN pip install --no-cache-dir uv \
 && useradd --create-home --uid 10001 leaderful
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY api/ api/
COPY auth/ auth/
COPY domain/ domain/
COPY repositories/ repositories/
COPY openapi/ openapi/
RUN uv sync --frozen --no-dev
COPY --from=spa /src/frontend/dist frontend/dist
RUN mkdir -p var && chown leaderful:leaderful var
USER leaderful
ENV PATH="/app/.venv/bin:$PATH" LEADERFUL_SPA_DIR=/app/frontend/dist
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["sh", "-c", "leaderful migrate && leaderful serve --host 0.0.0.0 --port 8000 --workers ${WORKERS:-2}"]
