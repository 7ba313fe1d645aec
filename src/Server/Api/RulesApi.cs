using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Tracefleet.Server.Alerts;
using Tracefleet.Server.Alerts.Preview;
using Tracefleet.Server.Alerts.Rules;

namespace Tracefleet.Server.Api;

/// <summary><c>/api/rules</c>: alert rules, and <c>/api/rules/preview</c>: when a rule would have fired over stored history.</summary>
public static class RulesApi
{
    public static IEndpointRouteBuilder MapRulesApi(this IEndpointRouteBuilder app)
    {
        var rules = app.MapGroup("/api/rules").WithTags("Alerts");
        rules.MapGet("/", List).WithName("ListRules").WithSummary("Every alert rule, by name, with its source (api or file) and defaults filled in.");
        rules.MapGet("/{name}", Get).WithName("GetRule").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One alert rule; 400 for a name no rule can have.");
        rules.MapPost("/", AddAsync).WithName("AddRule").ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Adds a rule. 400 names each field that is wrong and why; 409 when the name is taken.");
        rules.MapPut("/{name}", ReplaceAsync).WithName("ReplaceRule").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).WithSummary("Replaces a rule; its alerts start again. 409 for a rule of the rules file.");
        rules.MapDelete("/{name}", RemoveAsync).WithName("RemoveRule").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Removes a rule; its firing alerts resolve. 409 for a rule of the rules file.");
        rules.MapPost("/preview", PreviewAsync).WithName("PreviewRule").ProducesValidationProblem()
            .WithSummary("When a rule would have fired over stored history (default: the last 24 hours), without saving it; read at the finest tier that holds the range.");
        return app;
    }

    private static Ok<List<RuleView>> List(AlertRuleSet rules) => TypedResults.Ok(rules.List().Select(RuleView.Of).ToList());

    private static Results<Ok<RuleView>, ProblemHttpResult> Get(string name, AlertRuleSet rules) =>
        !RuleCompiler.IsName(name) ? ApiProblems.BadRequest($"\"{name}\" is not a rule name: 1 to {RuleCompiler.MaxNameLength} letters, digits, '_', '-', '.' or ':'.")
        : rules.List().FirstOrDefault(r => r.Rule.Name == name) is { } rule ? TypedResults.Ok(RuleView.Of(rule))
        : NoSuchRule(name);

    private static async Task<Results<Created<RuleView>, ValidationProblem, ProblemHttpResult>> AddAsync(
        AlertRule rule, AlertRuleSet rules, CancellationToken cancellationToken)
    {
        var (change, errors) = await rules.AddAsync(rule, cancellationToken).ConfigureAwait(false);
        return change switch
        {
            RuleChange.Done => TypedResults.Created($"/api/rules/{Uri.EscapeDataString(rule.Name!)}", RuleView.Of(rules.List().First(r => r.Rule.Name == rule.Name))),
            RuleChange.Invalid => Invalid(errors!),
            _ => TypedResults.Problem(title: "Rule exists", detail: $"A rule named \"{rule.Name}\" exists; change it with PUT /api/rules/{rule.Name}.", statusCode: StatusCodes.Status409Conflict),
        };
    }

    private static async Task<Results<Ok<RuleView>, ValidationProblem, ProblemHttpResult>> ReplaceAsync(
        string name, AlertRule rule, AlertRuleSet rules, IOptions<AlertOptions> options, CancellationToken cancellationToken)
    {
        var (change, errors) = await rules.ReplaceAsync(name, rule, cancellationToken).ConfigureAwait(false);
        return change switch
        {
            RuleChange.Done => TypedResults.Ok(RuleView.Of(rules.List().First(r => r.Rule.Name == name))),
            RuleChange.Invalid => Invalid(errors!),
            RuleChange.NotFound => NoSuchRule(name),
            _ => FromFile(name, options.Value.RulesFile),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(
        string name, AlertRuleSet rules, IOptions<AlertOptions> options, CancellationToken cancellationToken) =>
        await rules.RemoveAsync(name, cancellationToken).ConfigureAwait(false) switch
        {
            RuleChange.Done => TypedResults.NoContent(),
            RuleChange.NotFound => NoSuchRule(name),
            _ => FromFile(name, options.Value.RulesFile),
        };

    private static async Task<Results<Ok<PreviewResult>, ValidationProblem>> PreviewAsync(
        PreviewRequest request, RulePreview preview, TimeProvider time, CancellationToken cancellationToken)
    {
        if (request.Rule is null)
        {
            return Invalid(new() { ["rule"] = ["is required"] });
        }

        request.Rule.Name ??= "preview";
        var rule = RuleCompiler.Compile(request.Rule, RuleSource.Api, ProbeCatalogue.Find, out var errors);
        if (rule is null)
        {
            return Invalid(errors.ToDictionary(e => $"rule.{e.Key}", e => e.Value, StringComparer.Ordinal));
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (!TimeRange.TryParse(request.From, request.To, out var range, out var problem))
        {
            return Invalid(new() { [problem!.StartsWith("to", StringComparison.Ordinal) ? "to" : "from"] = [problem] });
        }

        var from = request.From is null ? now - PreviewResult.DefaultRangeMs : range.FromUnixMs;
        var to = request.To is null ? now : range.ToUnixMs;
        var result = await preview.RunAsync(rule, from, to, cancellationToken).ConfigureAwait(false);
        return result.Problem is { } tooBig ? Invalid(new() { ["from"] = [tooBig] }) : TypedResults.Ok(result);
    }

    private static ValidationProblem Invalid(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: string.Join("; ", RuleCompiler.Describe(errors)), title: "The rule is not valid");

    private static ProblemHttpResult NoSuchRule(string name) =>
        TypedResults.Problem(title: "Unknown rule", detail: $"No alert rule is named \"{name}\".", statusCode: StatusCodes.Status404NotFound);

    private static ProblemHttpResult FromFile(string name, string file) =>
        TypedResults.Problem(title: "Rule from the rules file", detail: $"Rule \"{name}\" is defined in {file}; change it there (it is read at start).", statusCode: StatusCodes.Status409Conflict);
}

/// <summary>The body of <c>POST /api/rules/preview</c>: a rule (not saved) and an ISO-8601 range, by default the last 24 hours.</summary>
public sealed record PreviewRequest(AlertRule? Rule, string? From, string? To);
