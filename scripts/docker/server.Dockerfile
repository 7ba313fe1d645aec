# Tracefleet server image: `docker compose up server` (see docker-compose.yml). Built from the repository root.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Server -c Release -o /out

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /out .
# Listen on every interface inside the container; compose publishes the ports.
ENV ASPNETCORE_URLS=http://0.0.0.0:5080 \
    Ingest__Url=http://0.0.0.0:5081 \
    Storage__Path=/data/tracefleet.db
VOLUME /data
EXPOSE 5080 5081
ENTRYPOINT ["/app/tracefleet-server"]
