# syntax=docker/dockerfile:1
# Tollgate's production image: Next.js's standalone output (only the files the server needs), run
# as an unprivileged user. Build: `docker build -t tollgate .`; run: see docs/deployment.md.

# Dependencies, from the lockfile only, so that this layer is cached until the lockfile changes.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# The production build. TOLLGATE_STANDALONE=1 turns on `output: "standalone"` (next.config.ts).
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 TOLLGATE_STANDALONE=1
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN node node_modules/next/dist/bin/next build

FROM node:20-bookworm-slim AS run
WORKDIR /app
# NEXT_MANUAL_SIG_HANDLE hands SIGTERM to Tollgate's own drain (lib/boot.ts) instead of Next's,
# which would exit before open streams finish and queued usage is written.
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    NEXT_MANUAL_SIG_HANDLE=true \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    TOLLGATE_DATA_DIR=/data
COPY --from=build --chown=node:node /app/.next/standalone ./
COPY --from=build --chown=node:node /app/.next/static ./.next/static
# Read at run time from the working directory: migrations (applied at start-up) and the config.
COPY --from=build --chown=node:node /app/db/migrations ./db/migrations
COPY --from=build --chown=node:node /app/tollgate.config.yaml ./tollgate.config.yaml
# Only used without DATABASE_URL (embedded PGlite): mount a volume here to keep its data.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "server.js"]
