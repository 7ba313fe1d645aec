namespace Tracefleet.Agent.Probes.Descriptors;

// The shape of a NAME.probe.yaml file as YamlDotNet reads it (snake_case keys; an unknown key is an error, so a
// misspelt field is caught instead of ignored). DescriptorReader turns it into a ProbeDescriptor and checks every field.
#pragma warning disable CA1812, CA2227 // Made and filled by YamlDotNet.

/// <summary>YamlDotNet's code for these types, made at build time: no reflection, so the NativeAOT agent reads descriptors.</summary>
[YamlDotNet.Serialization.YamlStaticContext]
[YamlDotNet.Serialization.YamlSerializable(typeof(DescriptorYaml))]
[YamlDotNet.Serialization.YamlSerializable(typeof(KeyYaml))]
[YamlDotNet.Serialization.YamlSerializable(typeof(ColumnYaml))]
[YamlDotNet.Serialization.YamlSerializable(typeof(NetYaml))]
[YamlDotNet.Serialization.YamlSerializable(typeof(VariantYaml))]
[YamlDotNet.Serialization.YamlSerializable(typeof(TableYaml))]
public partial class DescriptorYamlContext : YamlDotNet.Serialization.StaticContext
{
}

internal sealed class DescriptorYaml
{
    public string? Name { get; set; }

    public string? Title { get; set; }

    public KeyYaml? Key { get; set; }

    public List<ColumnYaml>? Columns { get; set; }

    public NetYaml? Net { get; set; }

    public List<VariantYaml>? Variants { get; set; }
}

internal sealed class KeyYaml
{
    public string? Meaning { get; set; }

    public string? Noun { get; set; }
}

internal sealed class ColumnYaml
{
    public string? Name { get; set; }

    public string? Unit { get; set; }

    public string? Meaning { get; set; }
}

internal sealed class NetYaml
{
    public string? Name { get; set; }

    public string? Plus { get; set; }

    public string? Minus { get; set; }
}

internal sealed class VariantYaml
{
    public string? Name { get; set; }

    public string? Tracer { get; set; }

    public string? Script { get; set; }

    public string? Sha256 { get; set; }

    public string? Requires { get; set; }

    public TableYaml? Table { get; set; }

    public string? CannotSee { get; set; }
}

internal sealed class TableYaml
{
    public string? Header { get; set; }

    public string? Layout { get; set; }
}
