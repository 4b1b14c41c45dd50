# syntax=docker/dockerfile:1
# The engine's image: API (`node --import tsx src/main.ts`) and worker (`… src/worker.ts`).
# Node 22 LTS (Node 20 reached end of life on 2026-04-30); the code runs on 22 and 24.
ARG NODE_IMAGE=node:22-bookworm-slim
ARG POSTGRES_IMAGE=postgres:16

# Production dependencies only, from the lock file. tsx is one of them: the image runs the
# TypeScript sources as they are, the same files the tests ran.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# postinstall applies db/patches/ (patch-package): postgres.js's fixes for a connection lost mid-transaction.
COPY db/patches ./db/patches
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# The pages: vite builds src/web into src/web/dist (dev dependencies only in this stage).
FROM ${NODE_IMAGE} AS client
WORKDIR /app
COPY package.json package-lock.json ./
# postinstall applies db/patches/ (patch-package): postgres.js's fixes for a connection lost mid-transaction.
COPY db/patches ./db/patches
RUN npm ci --no-audit --no-fund
COPY vite.config.ts tsconfig.json ./
COPY src/web ./src/web
RUN node --import tsx src/web/build-client.ts --force

# `docker-compose run --rm backup …` (README "Backup and restore"): the app's code and Node on the
# compose Postgres's own image, so pg_dump and pg_restore are of the server's major version. Keep
# POSTGRES_IMAGE in step with the postgres service of docker-compose.yml. Not the default target.
FROM ${POSTGRES_IMAGE} AS backup
COPY --from=deps /usr/local/bin/node /usr/local/bin/node
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY workflows ./workflows
COPY db ./db
COPY src ./src
ENV NODE_ENV=production
ENTRYPOINT ["node", "--import", "tsx", "src/backup/cli.ts"]

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 EXPORT_DIR=/var/lib/grievance/exports
WORKDIR /app
# Code and dependencies belong to root and are read-only for the process; only the export
# folder (a volume) is writable.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY workflows ./workflows
COPY db ./db
COPY src ./src
COPY --from=client /app/src/web/dist ./src/web/dist
RUN mkdir -p /var/lib/grievance/exports && chown node:node /var/lib/grievance/exports
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--import", "tsx", "src/main.ts"]
