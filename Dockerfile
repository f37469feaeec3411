# Multi-stage build used by both the `api` and the `worker` services of docker-compose.yml.

# --- build: full toolchain, dev dependencies, TypeScript compile, then production dependencies only ---
FROM node:20-bookworm-slim AS build
WORKDIR /app
# sqlite3 and argon2 compile native code when no prebuilt binary matches.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json openapi.yaml ./
COPY src src
COPY workflows workflows
COPY activities activities
COPY migrations migrations
RUN npm run build && npm prune --omit=dev

# --- runtime: slim, non-root, production dependencies and compiled code only ---
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json /app/openapi.yaml ./
COPY --from=build --chown=node:node /app/node_modules node_modules
COPY --from=build --chown=node:node /app/dist dist
RUN mkdir -p /app/var && chown node:node /app/var
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The api service runs this; the worker service overrides it with dist/src/entry/worker.js.
CMD ["node", "dist/src/entry/api.js"]
