# Suyuan (溯源) — the application image. Used by docker-compose.yml; runs the same code as `npm start`.
#
#   docker build -t suyuan .
#   docker run -p 3000:3000 -e HOST=0.0.0.0 -v suyuan-data:/data suyuan        # embedded SQLite adapters
#
# Everything about engines is configuration (EVENT_STORE, READ_STORE, SEARCH, QUEUE and the *_URL variables).

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary matches; the toolchain stays in this stage.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
# Sources only (no .dockerignore needed: host node_modules, .ci/ and data/ never enter the image).
COPY tsconfig.json tsconfig.build.json ./
COPY domain ./domain
COPY application ./application
COPY projections ./projections
COPY infrastructure ./infrastructure
COPY scripts ./scripts
COPY web ./web
# The browser app is built when the project defines it (web/dist); otherwise the API serves web/landing.
RUN npm run build \
 && npm run build:web --if-present \
 && mkdir -p web/dist \
 && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/landing ./web/landing
COPY --from=build /app/web/dist ./web/dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=6 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/infrastructure/main.js"]
