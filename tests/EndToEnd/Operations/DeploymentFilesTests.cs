using CliWrap;
using CliWrap.Buffered;
using Tracefleet.EndToEnd.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Tracefleet.EndToEnd.Operations;

/// <summary>
/// Docker cannot run here, so docker-compose.yml is checked as far as a parser can: it is YAML, it names the
/// services and profiles the README promises, and what it builds from exists. The systemd units start binaries
/// where the README installs them, and the README's steps leave tokens readable by root alone.
/// </summary>
public sealed class DeploymentFilesTests
{
    [Fact]
    public void Compose_Parses_ServerAlwaysAgentAndScaleOutBehindProfiles()
    {
        var services = Services();

        Assert.Equal(["agent", "postgres", "redis", "server"], services.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(Profiles(services["server"]));
        Assert.Equal(["agent"], Profiles(services["agent"]));
        Assert.Equal(["scale-out"], Profiles(services["postgres"]));
        Assert.Equal(["scale-out"], Profiles(services["redis"]));
    }

    [Fact]
    public void Compose_Server_StorageAndBackplaneSelectableFromEnvironment()
    {
        var environment = Sequence(Services()["server"], "environment");

        Assert.Contains("Storage__Provider=${TRACEFLEET_STORAGE_PROVIDER:-sqlite}", environment);
        Assert.Contains("Storage__ConnectionString=${TRACEFLEET_STORAGE_CONNECTION:-}", environment);
        Assert.Contains("Live__Redis=${TRACEFLEET_LIVE_REDIS:-}", environment);
    }

    [Fact]
    public void Compose_Server_PublishedWebPortAsksPeopleForAKey()
    {
        var environment = Sequence(Services()["server"], "environment");

        Assert.Contains("Auth__People__Mode=${TRACEFLEET_PEOPLE_AUTH:-ApiKey}", environment);
        Assert.Contains("Auth__People__ApiKeys__${TRACEFLEET_PEOPLE_KEY_NAME:-admin}=${TRACEFLEET_PEOPLE_KEY_DIGEST:-}", environment);
    }

    [Fact]
    public void SystemdServer_ListensOnEveryAddress_AsksPeopleForAKey()
    {
        var unit = File.ReadAllLines(Path.Combine(RepoPaths.Root, "scripts", "systemd", "tracefleet-server.service"));

        Assert.Contains("Environment=ASPNETCORE_URLS=http://0.0.0.0:5080", unit);
        Assert.Contains("Environment=Auth__People__Mode=ApiKey", unit);
    }

    [Fact]
    public void Compose_Agent_HasTheTracingPrivilegesAndTalksToTheServer()
    {
        var agent = Services()["agent"];

        Assert.Equal("true", Scalar(agent, "privileged"));
        Assert.Equal("host", Scalar(agent, "pid"));
        var volumes = Sequence(agent, "volumes");
        Assert.Contains("/sys/kernel/tracing:/sys/kernel/tracing", volumes);
        var command = Sequence(agent, "command");
        Assert.Equal("http://server:5081", command[command.IndexOf("--server") + 1]);
    }

    [Fact]
    public void Compose_Builds_DockerfilesExistAndCopyFromTheRepository()
    {
        foreach (var (name, service) in Services().Where(s => ((YamlMappingNode)s.Value).Children.ContainsKey("build")))
        {
            var build = (YamlMappingNode)((YamlMappingNode)service)["build"];
            Assert.Equal(".", build["context"].ToString());
            var dockerfile = Path.Combine(RepoPaths.Root, build["dockerfile"].ToString());
            Assert.True(File.Exists(dockerfile), $"{name}: {dockerfile} is missing");
            var published = File.ReadAllLines(dockerfile).Single(l => l.Contains("dotnet publish", StringComparison.Ordinal));
            var project = published.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipWhile(w => w != "publish").ElementAt(1);
            Assert.True(Directory.Exists(Path.Combine(RepoPaths.Root, project)), $"{name}: {dockerfile} publishes {project}, which does not exist");
        }
    }

    [Theory]
    [InlineData("tracefleet-server.service", "/opt/tracefleet/server/tracefleet-server")]
    [InlineData("tracefleet-agent.service", "/opt/tracefleet/agent/tracefleet-agent")]
    [InlineData("tracefleet-agent-ssh@.service", "/opt/tracefleet/agent/tracefleet-agent")]
    public void SystemdUnit_HasSectionsAndStartsTheInstalledBinary(string unit, string binary)
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "scripts", "systemd", unit));

        Assert.Contains("[Unit]", lines);
        Assert.Contains("[Service]", lines);
        Assert.Contains("[Install]", lines);
        Assert.StartsWith("ExecStart=" + binary, lines.Single(l => l.StartsWith("ExecStart=", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tracefleet-server.service")]
    [InlineData("tracefleet-agent.service")]
    [InlineData("tracefleet-agent-ssh@.service")]
    public void SystemdUnit_WhatItWrites_OwnerOnly(string unit)
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "scripts", "systemd", unit));

        Assert.Contains("UMask=0077", lines);
        Assert.Contains("StateDirectoryMode=0700", lines);
    }

    /// <summary>
    /// The README's systemd steps that write under /etc/tracefleet, run as written (without sudo, in a folder of the test's
    /// own) under the usual umask: every file that holds a token or digest ends up readable by its owner alone.
    /// </summary>
    [Fact]
    public async Task Readme_SystemdStepsWritingTokens_FilesOwnerOnlyUnderTheUsualUmask()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "README.md"));
        var section = readme[readme.IndexOf("### systemd", StringComparison.Ordinal)..];
        var block = section[(section.IndexOf("```sh", StringComparison.Ordinal) + 5)..section.IndexOf("```\n\n", StringComparison.Ordinal)];
        var steps = block.Split('\n')
            .Where(l => l.Contains("/etc/tracefleet", StringComparison.Ordinal) && (l.StartsWith("sudo install", StringComparison.Ordinal) || l.Contains("| sudo tee", StringComparison.Ordinal)))
            .ToList();
        Assert.Contains(steps, l => l.Contains("agent.env", StringComparison.Ordinal));
        var etc = Path.Combine(Directory.CreateTempSubdirectory("tracefleet-readme-").FullName, "etc-tracefleet");
        try
        {
            var script = "set -eu\numask 022\n" + string.Join('\n', steps).Replace("sudo ", "", StringComparison.Ordinal).Replace("/etc/tracefleet", etc, StringComparison.Ordinal);
            var run = await Cli.Wrap("bash").WithArguments(["-c", script]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();

            Assert.True(run.ExitCode == 0, run.StandardError);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(etc));
            var files = Directory.GetFiles(etc);
            Assert.Contains(Path.Combine(etc, "agent.env"), files);
            Assert.Contains("TRACEFLEET_TOKEN=", await File.ReadAllTextAsync(Path.Combine(etc, "agent.env")), StringComparison.Ordinal);
            Assert.All(files, f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(etc)!, recursive: true);
        }
    }

    private static Dictionary<string, YamlNode> Services()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(RepoPaths.Root, "docker-compose.yml")))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents.Single().RootNode;
        return ((YamlMappingNode)root["services"]).Children.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value);
    }

    private static List<string> Profiles(YamlNode service) => Sequence(service, "profiles");

    private static List<string> Sequence(YamlNode service, string key) =>
        ((YamlMappingNode)service).Children.TryGetValue(key, out var node) ? [.. ((YamlSequenceNode)node).Children.Select(c => c.ToString())] : [];

    private static string Scalar(YamlNode service, string key) => ((YamlMappingNode)service)[key].ToString();
}
