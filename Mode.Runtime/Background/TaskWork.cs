using Microsoft.Extensions.Logging;
using Mode.Internal;
using Mode.Logging;

namespace Mode.Background;

/// <summary>A <see cref="TaskAttribute"/> method: runs once per start, until it returns or the service stops.</summary>
internal sealed class TaskWork(string name, Func<Service, CancellationToken, ValueTask> body, BackgroundErrorPolicy onError)
    : BackgroundWork(name, body, onError, kindDefault: BackgroundErrorPolicy.Crash)
{
    /// <inheritdoc/>
    public override BackgroundEntry Start(Service service)
    {
        var probe = service.TestProbe;
        probe?.Enter();
        return new(RunAsync(service, probe), this);
    }

    private protected override void LogContinuing(ILogger log, Exception error) => ServiceLog.TaskFailed(log, error, Name);

    private async Task RunAsync(Service service, IdleProbe? probe)
    {
        var ctx = service.ContinueOnCapturedContext;
        await BackgroundYield.Create().ConfigureAwait(ctx);
        if (service.ShouldStop)
        {
            probe?.Exit();
            return;
        }

        try
        {
            if (probe is null)
            {
                await Body(service, service.StoppingToken).ConfigureAwait(ctx);
            }
            else
            {
                await RunUnderProbeAsync(service, probe).ConfigureAwait(ctx);
            }
        }
        catch (Exception ex)
        {
            OnEnded(service, ex);
        }
    }

    /// <summary>
    /// The body under a test probe: busy until its synchronous part returns (it has parked), and ended
    /// by an injected fault as if the body had thrown it.
    /// </summary>
    private async Task RunUnderProbeAsync(Service service, IdleProbe probe)
    {
        var ctx = service.ContinueOnCapturedContext;
        ValueTask pending;
        Task<Exception>? fault = null;
        try
        {
            pending = Body(service, service.StoppingToken);
            if (!pending.IsCompleted)
            {
                fault = probe.TaskFault(service, Name);
            }
        }
        finally
        {
            // Registered for a fault before the harness can see the tree idle.
            probe.Exit();
        }

        if (fault is null)
        {
            await pending.ConfigureAwait(ctx);
            return;
        }

        var body = pending.AsTask();
        if (await Task.WhenAny(body, fault).ConfigureAwait(ctx) != fault)
        {
            await body.ConfigureAwait(ctx);
            return;
        }

        // The injection entered a busy count so that the harness waits for its effect (a crash, a log line).
        var error = await fault.ConfigureAwait(ctx);
        try
        {
            OnEnded(service, error);
        }
        finally
        {
            probe.Exit();
        }
    }
}
