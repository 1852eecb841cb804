FROM node:26-slim AS deps
RUN npm ci --omit=dev
FROM node:26-slim
ARG APP
ENV APP=${APP}
COPY --from=deps /node_modules ./node_modules
USER root
ENTRYPOINT ["/bin/sh", "-c", "exec node --enable-source-maps dist/apps/${APP}/main.mjs"]
