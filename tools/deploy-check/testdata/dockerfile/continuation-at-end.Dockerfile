FROM node:26-slim
RUN echo \
