FROM node:26-slim AS deps
RUN npm ci
FROM node:26-slim
ARG APP
ENV APP=${APP}
COPY --from=deps /app/node_modules ./node_modules
COPY missing-folder/ missing-folder/
USER 1000
ENTRYPOINT ["/bin/sh", "-c", "exec node --enable-source-maps dist/apps/${APP}/main.mjs"]
