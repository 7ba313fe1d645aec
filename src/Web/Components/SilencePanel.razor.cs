using Microsoft.AspNetCore.Components;

namespace Tracefleet.Web.Components;

/// <summary>The silences in force (<c>GET /api/silences</c>), deleting one (<c>DELETE /api/silences/{id}</c>) and making one (<c>POST /api/silences</c>).</summary>
public partial class SilencePanel
{
    private IReadOnlyDictionary<string, IReadOnlyList<string>> _errors = FieldProblem.None;
    private string _rule = "";
    private string _host = "";
    private string _key = "";
    private string _duration = "2h";
    private string _comment = "";
    private string? _problem;

    [Inject]
    private TracefleetApi Api { get; set; } = null!;

    /// <summary>Null while loading.</summary>
    [Parameter]
    public IReadOnlyList<Silence>? Silences { get; set; }

    /// <summary>A silence was made or deleted: the page reads them again, and the alerts they silence.</summary>
    [Parameter]
    public EventCallback Changed { get; set; }

    private async Task CreateAsync()
    {
        var silence = new NewSilence(RuleDraft.Optional(_rule), RuleDraft.Optional(_host), RuleDraft.Optional(_key), null, _duration.Trim(), _comment.Trim());
        if (await CallAsync(() => Api.CreateSilenceAsync(silence)))
        {
            (_rule, _host, _key, _comment) = ("", "", "", "");
        }
    }

    private async Task DeleteAsync(Silence silence) => await CallAsync(() => Api.DeleteSilenceAsync(silence.Id));

    private async Task<bool> CallAsync(Func<Task> call)
    {
        try
        {
            await call();
            (_errors, _problem) = (FieldProblem.None, null);
            await Changed.InvokeAsync();
            return true;
        }
        catch (ApiValidationException e)
        {
            (_errors, _problem) = (e.Errors, e.Message);
        }
        catch (HttpRequestException e)
        {
            (_errors, _problem) = (FieldProblem.None, e.Message);
        }

        return false;
    }
}
