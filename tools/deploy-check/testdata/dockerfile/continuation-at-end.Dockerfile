FROM node:20-slim
RUN echo \
