# One image for every role; STAYFLOW_ROLE picks api, worker or all at run time.
# tests/integration/production-build.test.ts runs this file's build, runtime COPY lines and CMD without Docker.

# Build: the full install (TypeScript, vite, the webpack of the workflow bundle), then `npm run build`, which
# type-checks and writes dist/ (server, worker, CLI as JavaScript, plus the prebuilt workflow bundle) and editor/dist.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

# Runtime: production dependencies and the built files only. They belong to root and the server runs as `node`, so
# the process cannot rewrite its own code; it writes only to .data (the embedded database, when DATABASE_URL is unset).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/editor/dist ./editor/dist
COPY --from=build /app/playbooks ./playbooks
COPY --from=build /app/scripts/stayflow.mjs ./scripts/stayflow.mjs
RUN mkdir .data && chown node:node .data
USER node
EXPOSE 3000
# Exec form: node gets SIGTERM itself and shuts the worker and the API down cleanly. Source maps (written by tsc) make
# stack traces in the logs point at the TypeScript lines.
CMD ["node", "--enable-source-maps", "dist/server/main.js"]
