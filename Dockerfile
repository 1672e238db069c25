# Sluice: build with the Swift toolchain image, run on a slim Debian with only the runtime
# libraries (libnghttp2, zlib, sqlite); the binary carries the page and openapi.yaml. Serves
# the embedded demo on 0.0.0.0:8080 by default; mount a config and pass `--config /etc/sluice/sluice.yaml` to serve your own connectors.
#   docker build -t sluice . && docker run --rm -p 8080:8080 sluice

FROM swift:6.2-bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libnghttp2-dev zlib1g-dev libsqlite3-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so that source edits reuse the resolved-packages layer.
COPY Package.swift ./
RUN swift package resolve
COPY Sources Sources
COPY Plugins Plugins
COPY Public Public
COPY openapi.yaml openapi.yaml
COPY Tests Tests
COPY Benchmarks Benchmarks
RUN swift build -c release --product sluice --static-swift-stdlib \
 && install -D "$(swift build -c release --show-bin-path)/sluice" /out/sluice

FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libnghttp2-14 zlib1g libsqlite3-0 curl ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --create-home --home-dir /app sluice
COPY --from=build /out/sluice /usr/local/bin/sluice
WORKDIR /app
USER sluice
EXPOSE 8080
# Durable write sessions: mount a volume here to keep them across container restarts.
VOLUME /app/state
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["sluice", "serve", "--host", "0.0.0.0", "--port", "8080", "--state", "/app/state"]
# The default command serves the demo without access tokens, deliberately. Any other
# command line needs tokens: SLUICE_TOKENS_FILE=/path/tokens.yaml (or auth: in the config).
CMD ["--insecure-no-auth"]
