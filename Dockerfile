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
# Memory (docs/ops.md#memory): V8's young generation can only be sized at start, so it is a Node option:
# 8 MB semi-spaces instead of 16 take 16 MB off the resident size under load, for twice as many short
# young collections. MALLOC_ARENA_MAX=2 stops glibc giving each V8 and libuv thread its own arena (~7 MB).
# Both are environment variables so that `docker run -e` can change them (bin/specter.js, started as a
# program, sets the same two; the entrypoint runs node directly); the old generation's growth is a
# Specter setting (memory.heapGrowthPercent).
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=8 \
    MALLOC_ARENA_MAX=2 \
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
