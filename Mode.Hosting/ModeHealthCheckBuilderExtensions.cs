using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Mode.Hosting;

/// <summary>Adds the Mode health check to the host's health checks.</summary>
public static class ModeHealthCheckBuilderExtensions
{
    /// <summary>
    /// Adds a <see cref="ModeHealthCheck"/> over every tree registered with <c>AddModeService</c>
    /// (trees registered after this call are included too).
    /// </summary>
    /// <param name="builder">The builder that <c>services.AddHealthChecks()</c> returned.</param>
    /// <param name="name">The check's name (default <c>"mode"</c>).</param>
    /// <param name="failureStatus">The status of a crashed, stopped or never started tree (default <see cref="HealthStatus.Unhealthy"/>).</param>
    /// <param name="tags">Tags to filter checks by, for example <c>"live"</c> or <c>"ready"</c>.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IHealthChecksBuilder AddModeHealthCheck(
        this IHealthChecksBuilder builder,
        string name = "mode",
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(name);
        return builder.Add(new HealthCheckRegistration(
            name,
            static sp => new ModeHealthCheck(sp.GetServices<ModeHostedService>().Select(static h => h.Service)),
            failureStatus,
            tags));
    }
}
