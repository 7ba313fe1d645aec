global using Tracefleet.Agent.Parsing;
