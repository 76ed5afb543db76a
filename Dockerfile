# syntax=docker/dockerfile:1
# Build: a static binary (no cgo), reproducible paths.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/smmbot .

# Run: a minimal image with CA certificates, as a non-root user.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/smmbot /usr/local/bin/smmbot
VOLUME /data
ENV DB_PATH=/data/smmbot.db
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/smmbot"]
