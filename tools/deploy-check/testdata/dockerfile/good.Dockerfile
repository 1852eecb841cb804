# syntax=docker/dockerfile:1
ARG NODE_IMAGE=node:26-slim@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci

FROM deps AS build
COPY apps/ apps/
RUN node tools/build-app.mjs apps/a

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci \
      --omit=dev

FROM ${NODE_IMAGE}
ARG APP
ENV APP=${APP} NODE_ENV=production MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist/apps/${APP}/ dist/apps/${APP}/
USER 1000:1000
ENTRYPOINT ["/bin/sh", "-c", "exec node --enable-source-maps --v8-pool-size=2 dist/apps/${APP}/main.mjs \"$@\"", "--"]
