using Microsoft.AspNetCore.Components;

namespace Tracefleet.Web.Components;

/// <summary>Why the server (or the form) refused one field, beside that field; nothing when it did not.</summary>
public partial class FieldProblem
{
    /// <summary>No reasons for any field: what a form holds before the server refused anything.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> None = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Reasons by field, named as in the API's JSON.</summary>
    [Parameter]
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Errors { get; set; }

    [Parameter]
    public string Field { get; set; } = "";

    /// <summary>Which form the field is in, so two forms on a page give their problems distinct ids.</summary>
    [Parameter]
    public string Form { get; set; } = "rule";

    /// <summary>The element's id, for the field's <c>aria-describedby</c>.</summary>
    public static string IdOf(string field, string form = "rule") => $"problem-{form}-{field}";

    private string Id => IdOf(Field, Form);

    private IReadOnlyList<string>? Reasons => Errors?.GetValueOrDefault(Field);
}
