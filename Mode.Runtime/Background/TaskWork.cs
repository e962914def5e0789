using Microsoft.Extensions.Logging;
using Mode.Logging;

namespace Mode.Background;

/// <summary>A <see cref="TaskAttribute"/> method: runs once per start, until it returns or the service stops.</summary>
internal sealed class TaskWork(string name, Func<Service, CancellationToken, ValueTask> body, BackgroundErrorPolicy onError)
    : BackgroundWork(name, body, onError, kindDefault: BackgroundErrorPolicy.Crash)
{
    /// <inheritdoc/>
    public override BackgroundEntry Start(Service service) => new(RunAsync(service), this);

    private protected override void LogContinuing(ILogger log, Exception error) => ServiceLog.TaskFailed(log, error, Name);

    private async Task RunAsync(Service service)
    {
        var ctx = service.ContinueOnCapturedContext;
        await BackgroundYield.Create().ConfigureAwait(ctx);
        if (service.ShouldStop)
        {
            return;
        }

        try
        {
            await Body(service, service.StoppingToken).ConfigureAwait(ctx);
        }
        catch (Exception ex)
        {
            OnEnded(service, ex);
        }
    }
}
