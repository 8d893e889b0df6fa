# Build the single static binary, then ship it on a small base with CA
# certificates (the live geo.api.gouv.fr is read over HTTPS).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/repere ./cmd/repere

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /var/lib/repere repere && mkdir -p /var/lib/repere && chown repere /var/lib/repere
COPY --from=build /out/repere /usr/local/bin/repere
USER repere
ENV REPERE_DATA_DIR=/var/lib/repere REPERE_ADDR=:8080
EXPOSE 8080
ENTRYPOINT ["repere"]
CMD ["serve"]
