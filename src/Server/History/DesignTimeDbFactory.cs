using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Tracefleet.Server.History;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the server.</summary>
public sealed class DesignTimeDbFactory : IDesignTimeDbContextFactory<TracefleetDb>
{
    public TracefleetDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<TracefleetDb>().UseSqlite("Data Source=design-time.db").Options);
}
