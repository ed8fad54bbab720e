# syntax=docker/dockerfile:1
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY app ./app
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim AS runtime
# glibc's allocator for libvips (image transforms): two arenas, or each worker thread grows one glibc keeps;
# a fixed mmap threshold, so the large pixel buffers go back to the system when a transform ends instead
# of staying in the heap (bench/README.md: ~60 MB less held after a burst, ~5% slower transforms).
ENV NODE_ENV=production PORT=8080 HOST=0.0.0.0 DATA_DIR=/data MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072
WORKDIR /app
RUN mkdir -p /data && chown node:node /data
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
COPY --chown=node:node migrations ./migrations
# The operator CLI (package.json "bin": contentful-selfhosted) on PATH, as npm links an installed package's
# bin: an executable symlink to the built file, whose shebang runs node. Node resolves the symlink, so the
# CLI finds its modules and /app/migrations. `npm run cli` needs src/ and tsx, which this image leaves out.
RUN chmod 755 dist/src/cli/main.js && ln -s /app/dist/src/cli/main.js /usr/local/bin/contentful-selfhosted
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/readyz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "dist/src/server.js"]
