# syntax=docker/dockerfile:1
# Specter: build with dev dependencies, run with production dependencies only, as a non-root user.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary matches the platform.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` builds the sources, which are not copied yet; native modules are built next.
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bench ./bench
RUN npx tsc -p tsconfig.build.json

FROM build AS prod-deps
RUN npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    SPECTER_PROXY_HOST=0.0.0.0 \
    SPECTER_ADMIN_HOST=0.0.0.0 \
    SPECTER_STORE_PATH=/data/specter.db
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY config/default.yaml ./config/default.yaml
COPY migrations ./migrations
# The demo's sample API and its published spec (`specter demo`, docker-compose.yml).
COPY examples/shop ./examples/shop
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# 8080: proxied traffic. 9091: admin listener (/healthz, /metrics, /api); with admin.host 0.0.0.0 and no
# SPECTER_ADMIN_TOKEN, /api and /report refuse every request, /metrics stays open for Prometheus.
EXPOSE 8080 9091
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9091/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/specter.js"]
CMD ["proxy"]
