using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Mode;

namespace HostedWorker;

/// <summary>The root: two children, started in order after <see cref="OnStartAsync"/>, stopped in reverse.</summary>
public sealed partial class App : Service
{
    [DependsOn]
    private readonly Websockets _websockets = new();

    [DependsOn]
    private readonly UserCache _userCache = new();

    private readonly TimeSpan? _crashAfter;

    /// <summary>Created by the container; <c>--crash-after SECONDS</c> makes the tree crash, to show the exit code.</summary>
    public App(IConfiguration configuration)
    {
        // Checked before the host starts (Settings.Check), so it parses here.
        _crashAfter = Settings.CrashAfter(configuration);
    }

    protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        Log.LogInformation("App is starting");
        return default;
    }

    protected override ValueTask OnStartedAsync(CancellationToken cancellationToken)
    {
        if (_crashAfter is { } delay)
        {
            // A failing future crashes the service, and without a supervisor the whole tree.
            _ = AddFuture(
                async stopping =>
                {
                    if (await SleepAsync(delay, stopping))
                    {
                        throw new InvalidOperationException($"crash requested after {delay.TotalSeconds} s");
                    }
                },
                "crash-after");
        }

        return default;
    }
}

/// <summary>A child that only logs its start and stop.</summary>
public sealed partial class Websockets : Service
{
    protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        Log.LogInformation("STARTING WEBSOCKET SERVER");
        return default;
    }

    protected override ValueTask OnStopAsync(CancellationToken cancellationToken)
    {
        Log.LogInformation("Websockets stopping");
        return default;
    }
}

/// <summary>A child with a timer, wired by the generator.</summary>
public sealed partial class UserCache : Service
{
    private int _sweeps;

    [Timer(5)]
    private void RemoveExpired() => Log.LogInformation("Removing expired users (sweep {Sweep})", ++_sweeps);
}
