# One image for every role; STAYFLOW_ROLE picks api, worker or all at run time.
FROM node:20-bookworm-slim

WORKDIR /app
RUN chown node:node /app
USER node

# Full install, not --omit=dev: the server runs TypeScript through tsx at run time.
COPY --chown=node:node package.json package-lock.json ./
RUN npm ci && npm cache clean --force

COPY --chown=node:node . .

ENV NODE_ENV=production
EXPOSE 3000
CMD ["node", "--import", "tsx", "server/main.ts"]
