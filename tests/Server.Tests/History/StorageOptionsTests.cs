using System.ComponentModel.DataAnnotations;
using Tracefleet.Server.History;

namespace Tracefleet.Server.Tests.History;

/// <summary>A PostgreSQL store without a connection string is refused at start, saying what to set.</summary>
public sealed class StorageOptionsTests
{
    [Fact]
    public void Validate_PostgresWithoutConnectionString_RefusedNamingTheSetting()
    {
        var options = new StorageOptions { Provider = StorageProvider.Postgres };

        var errors = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true));
        Assert.Contains("Storage:ConnectionString", Assert.Single(errors).ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite, null)]
    [InlineData(StorageProvider.Postgres, "Host=db;Username=tracefleet;Database=tracefleet")]
    public void Validate_Complete_Accepted(StorageProvider provider, string? connectionString)
    {
        var options = new StorageOptions { Provider = provider, ConnectionString = connectionString };

        Assert.True(Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true));
    }
}
