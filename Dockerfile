# Nida's image: one image for every role; APP_ROLE (api, worker or all) comes from the environment.
# Build:  docker build -t nida .        Run: see compose.yaml and the README's "Deploying".
# Stage 1 compiles TypeScript with the dev dependencies; stage 2 holds only what runs.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build

FROM node:24-bookworm-slim
# Debian's Chromium draws share cards and prints dossiers (CHROMIUM_PATH); DejaVu has Arabic glyphs.
# tini forwards SIGTERM so a stopping container drains its requests and jobs (graceful shutdown).
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-dejavu-core tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    STORAGE_DIR=/app/storage \
    CHROMIUM_PATH=/usr/bin/chromium
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
RUN mkdir -p /app/storage && chown node:node /app/storage
USER node
EXPOSE 3000
# A worker (APP_ROLE=worker) serves no HTTP: its health is its process; compose sets its own check.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "if (process.env.APP_ROLE === 'worker') process.exit(0); fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
# A young generation of at most 2 × 8 MB, and glibc's malloc with one arena (README: "Memory").
ENV MALLOC_ARENA_MAX=1
CMD ["node", "--max-semi-space-size=8", "dist/src/main"]
