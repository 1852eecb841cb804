FROM node:20-slim AS deps
RUN npm ci --omit=dev
FROM node:20-slim
COPY --from=deps /node_modules ./node_modules
USER node
CMD ["node", "main.js"]
