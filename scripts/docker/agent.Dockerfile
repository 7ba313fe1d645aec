# Tracefleet agent image: the NativeAOT agent (one native file) plus the probe scripts, and bpftrace from Debian.
# Tracing the host needs privileges (see the agent service in docker-compose.yml). Built from the repository root.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# NativeAOT links with clang.
RUN apt-get update && apt-get install -y --no-install-recommends clang zlib1g-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN dotnet publish src/Agent -c Release -r linux-x64 -p:PublishAot=true -o /out

FROM debian:12-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends bpftrace openssh-client ca-certificates libssl3 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/tracefleet-agent /opt/tracefleet/agent/tracefleet-agent
COPY --from=build /out/probes /opt/tracefleet/agent/probes
VOLUME /state
ENTRYPOINT ["/opt/tracefleet/agent/tracefleet-agent", "--state-dir", "/state"]
