# syntax=docker/dockerfile:1
ARG NODE_IMAGE=node:20-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci \
      --omit=dev

FROM ${NODE_IMAGE}
ARG APP
ENV APP=${APP} NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY apps/ apps/
USER 1000:1000
ENTRYPOINT ["/bin/sh", "-c", "exec node --import tsx apps/${APP}/src/main.ts \"$@\"", "--"]
