using Microsoft.Extensions.Options;

namespace Tracefleet.Server.Hosting;

/// <summary>
/// Checks every setting validated at start before anything starts, so that a setting the server cannot use ends it
/// with one plain line (and exit code 2) instead of an unhandled exception, a stack trace and an abort.
/// </summary>
public static class StartupSettings
{
    /// <summary>What is wrong with the settings, in the validators' words; null when nothing is.</summary>
    public static string? Refusal(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            app.Services.GetService<IStartupValidator>()?.Validate();
            return null;
        }
        catch (OptionsValidationException e)
        {
            return string.Join("; ", e.Failures);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is OptionsValidationException))
        {
            return string.Join("; ", e.InnerExceptions.OfType<OptionsValidationException>().SelectMany(i => i.Failures));
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            // The configuration binder's own words name the setting and the type it wants ("abc" for a number).
            return e.Message;
        }
    }
}
