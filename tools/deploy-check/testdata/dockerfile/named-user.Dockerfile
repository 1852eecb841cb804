FROM node:26-slim AS deps
RUN npm ci --omit=dev
FROM node:26-slim
COPY --from=deps /node_modules ./node_modules
USER node
CMD ["node", "main.js"]
