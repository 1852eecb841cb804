FROM node:20-slim AS deps
RUN npm ci --omit=dev
FROM node:20-slim
ARG APP
ENV APP=${APP}
COPY --from=deps /node_modules ./node_modules
USER root
ENTRYPOINT ["/bin/sh", "-c", "exec node --import tsx apps/${APP}/src/main.ts"]
