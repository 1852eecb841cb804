FROM node:20-slim AS deps
RUN npm ci
FROM node:20-slim
ARG APP
ENV APP=${APP}
COPY --from=deps /app/node_modules ./node_modules
COPY missing-folder/ missing-folder/
USER 1000
ENTRYPOINT ["/bin/sh", "-c", "exec node --import tsx apps/${APP}/src/main.ts"]
