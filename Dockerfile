# One way to build: the same make targets as CI (npm assets, then go build),
# then the static binary alone on an empty image with the CA certificates
# (the live geo.api.gouv.fr and SMTP servers are reached over TLS).
FROM golang:1.26-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY go.mod go.sum package.json package-lock.json ./
RUN go mod download
COPY . .
ENV CGO_ENABLED=0 GOFLAGS=-trimpath
RUN make build && ./bin/repere --help >/dev/null \
 && mkdir -p /rootfs/var/lib/repere /rootfs/tmp /rootfs/etc/ssl/certs \
 && cp bin/repere /rootfs/repere \
 && cp /etc/ssl/certs/ca-certificates.crt /rootfs/etc/ssl/certs/ \
 && chown 65532:65532 /rootfs/var/lib/repere && chmod 1777 /rootfs/tmp

FROM scratch
COPY --from=build /rootfs /
USER 65532:65532
ENV REPERE_DATA_DIR=/var/lib/repere REPERE_ADDR=:8080
EXPOSE 8080
ENTRYPOINT ["/repere"]
CMD ["serve"]
