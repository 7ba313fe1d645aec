namespace Tracefleet.Web.Services;

/// <summary>The probe a page shows, from the <c>probe=</c> of its URL.</summary>
public static class ProbeChoice
{
    /// <summary>The probe of that wire name; the catalogue's first when the name is missing or unknown, so an edited URL still shows a page.</summary>
    public static ProbeDefinition Of(string? name) => ProbeCatalogue.Find(name) ?? ProbeCatalogue.All[0];
}
